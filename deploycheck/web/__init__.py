"""What people and monitors read over HTTP: the admin's pages and wording, status.json, metrics and the badge."""
