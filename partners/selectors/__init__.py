"""Reads of the partners app, by subject."""
