"""Writes of the partners app, one module per subject."""
