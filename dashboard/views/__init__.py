"""Officials' pages, one module per subject; each module lists its own `urls`."""
