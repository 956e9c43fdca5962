"""The writes of the notifications app: one module per subject."""
