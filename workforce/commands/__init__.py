"""One module per CLI command (see workforce/cli.py)."""
