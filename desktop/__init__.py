"""Everything Qt: the GUI areas, shared widgets, and the CLI entry point."""
