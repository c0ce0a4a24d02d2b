"""Telling people about a stored run: the run_finished signal, e-mail to ADMINS and webhooks."""
