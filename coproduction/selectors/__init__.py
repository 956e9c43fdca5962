"""Reads of the coproduction app that other apps and the interfaces build on, by subject."""
