"""The benchmark (`make bench`): casetracker's hot paths against their hand-written SQL floors.

See `bench/run.py` for what is measured and how, and docs/performance.md for the latest figures.
"""
