"""Writes of the coproduction app, one module per subject."""
