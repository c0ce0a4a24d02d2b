"""The ``http`` family: live probes of the deployed site and the checks of what it answers."""
