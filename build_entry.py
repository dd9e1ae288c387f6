"""Entry script for the frozen bundle: `kesos ...` is the CLI, `kesos gui` the window."""
import sys

from desktop.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
