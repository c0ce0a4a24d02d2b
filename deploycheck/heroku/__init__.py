"""Heroku: the Platform API client, the per-app snapshot gatherer and dated reference tables."""
