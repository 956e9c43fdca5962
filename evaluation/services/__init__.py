"""Writes of the evaluation app, one module per subject; the trust-score job's body too."""
