"""Writing runs, reading the history back (each app's latest runs, what changed) and deleting old runs."""
