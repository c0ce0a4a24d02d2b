"""The ``release`` family: migrations, versions, requirements and the settings Heroku needs, with dated facts."""
