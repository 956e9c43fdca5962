"""The district-scale benchmark: builds the data in bulk, times the jobs, the API and the dashboard.

`python -m bench --scale full` (or `make bench`) writes bench/results.json and bench/RESULTS.md.
Times are reported beside a floor (hand-written SQL) or a ceiling (a bare Django view) measured
in the same run, because absolute times vary from machine to machine.
"""
