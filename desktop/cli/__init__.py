"""The `kesos` command line (CLI.md). No Qt import unless the `gui` command runs."""
