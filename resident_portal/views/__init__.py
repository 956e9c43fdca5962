"""Residents' pages under /me/, one module per subject: home, tasks, check-ins, ratings, complaints, needs, my data."""
