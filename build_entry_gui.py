"""Entry script of the windowed launcher (Windows): opens the app directly."""
import sys

from desktop.app import main

if __name__ == "__main__":
    sys.exit(main())
