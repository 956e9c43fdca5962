"""District-scale demo data, written in bulk (COPY and INSERT ... SELECT) for the benchmark.

The ordinary demo (seed.py) writes row by row through the domain services, which is right for
a few thousand rows and far too slow for a district. This package writes the same kinds of
rows set-based, on PostgreSQL only, deriving each table from the ones before it in a handful
of statements so that every model constraint and the domain's invariants hold: one lead per
project, claims within a task's places, report periods that never overlap, a last check-in
that is the claim's newest check-in, and so on. See build.build_district().
"""
