"""One folder per family of checks: its gatherer, its checks and its reference data together."""
