"""Known vulnerabilities of the installed packages, from the OSV database: its client, what it gathers and the check."""
