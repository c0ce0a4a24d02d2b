"""The core of a run: the check contract and the catalogue, gathering and its deadline, evaluation,
the result record and its rules, the reports.
"""
