"""The job platform every domain app runs its periodic work on: run records, locks, leases, missed sends."""
