"""The `cleaner` command line (typer). Heavy imports live inside the commands."""
