"""Writes of the accountability app, one module per subject; the periodic jobs' bodies too."""
