"""Officials' projects pages."""

urls = []
