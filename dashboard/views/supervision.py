"""Officials' supervision pages."""

urls = []
