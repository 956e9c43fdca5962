"""Forms of the officials' pages, one module per subject."""
