"""The ``heroku`` family: the Platform API client, what it gathers per app, the checks, Heroku's dated facts."""
