"""The partner portal's pages, one module per subject."""
