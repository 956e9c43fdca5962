"""Officials' selection pages."""

urls = []
