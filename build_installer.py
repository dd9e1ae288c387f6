#!/usr/bin/env python3
"""Builds the installer for the platform it runs on.

Not yet: the installer arrives with its own issue ("Installer and user guide").
Until then this says so and exits 1, so nothing mistakes it for a build.
"""
import sys

if __name__ == "__main__":
    print("build_installer.py: pembuat installer belum tersedia (menyusul pada isu Installer).", file=sys.stderr)
    sys.exit(1)
