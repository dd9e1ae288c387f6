"""Realistic synthetic field data for the demo and the benchmarks.

    from db.synthetic import Catalog, build_database, iter_installs, generate_install, write_install

- ``generate_install(catalog, villages, ...)`` -> ``InstallData``: every record of one
  install (rows per table as dicts), without touching a database.
- ``write_install(db, data)``: bulk insert (executemany, one transaction, no audit rows).
- ``build_database(path, "kelurahan" | "kota")``: a whole database file.
- ``iter_installs(db, "provinsi")``: one kelurahan at a time, for packages/consolidation.

Deterministic: the same seed, area and ``today`` give the same records.
Codes come from the reference tables (``Catalog.from_db``).
"""
from db.synthetic.catalog import Catalog
from db.synthetic.generator import InstallData, Village, generate_install, window_start
from db.synthetic.sizes import (
    GENERATOR_VERSION,
    SIZES,
    BuildReport,
    Size,
    build_database,
    iter_installs,
    villages_in,
)
from db.synthetic.writer import write_install, write_rows

__all__ = [
    "Catalog",
    "InstallData",
    "Village",
    "generate_install",
    "window_start",
    "GENERATOR_VERSION",
    "SIZES",
    "Size",
    "BuildReport",
    "build_database",
    "iter_installs",
    "villages_in",
    "write_install",
    "write_rows",
]
