"""Live HTTP probes of the deployed site: what it really sends, not what the settings promise."""
