"""Known vulnerabilities in what is installed, from the OSV database (https://osv.dev).

client.py speaks OSV's HTTP API within the run's deadline, records.py reads its vulnerability
records, gather.py gathers the ``advisories.scan`` fact the check
deploycheck.checks.release_advisories judges.
"""
