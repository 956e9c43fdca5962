"""Small helpers shared by every app; this package imports no app, so any layer may use it."""
