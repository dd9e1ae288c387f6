"""A fork server for the SIGKILL test (tests/db/test_fault_kill.py).

Started once per test as ``python -m tests.db.fault_child DB [PASSPHRASE]``: it
imports the app's database code once (and derives the key once), then for
every ``go`` line on stdin forks a child that opens the database like the app
does and writes field records in a burst of transactions, printing
``ok <id>`` on stdout right AFTER each commit. The fork server prints
``pid <n>`` for each child and ``reaped <n>`` once the test killed it and it is
gone, so every ``ok`` line the child managed to write comes before ``reaped``.
Forking from a small process without Qt keeps each iteration cheap.
"""
from __future__ import annotations

import os
import random
import sys


def _say(text: str) -> None:
    os.write(1, (text + "\n").encode())  # one small write: atomic on a pipe


def child(path: str, passphrase: str | None, seed: int) -> None:
    from db import records
    from db.connection import open_database

    rnd = random.Random(seed)
    db = open_database(path, passphrase=passphrase, load_reference=False)
    n = 0
    while True:
        n += 1
        with db.atomic():
            person = records.insert(db, "orang", {
                "nama": f"Warga {seed}-{n}", "jenis_kelamin": rnd.choice("LP"),
                "alamat": "Jl. Tanjung Raya " * rnd.randint(1, 20), "kode_wilayah": "61.71.03.1001",
            })
            records.next_number(db, "uji", "kill")
            if rnd.random() < 0.3:
                records.update(db, "orang", person["id"], {"keterangan": "x" * rnd.randint(1, 3000)})
        _say(f"ok {person['id']}")


def main() -> None:
    path = sys.argv[1]
    passphrase = sys.argv[2] if len(sys.argv) > 2 else None
    from db.connection import open_database

    open_database(path, passphrase=passphrase, load_reference=False).close()  # warm: imports + key cache
    _say("ready")
    for line in sys.stdin:
        cmd, _, arg = line.strip().partition(" ")
        if cmd == "go":
            pid = os.fork()
            if pid == 0:
                try:
                    child(path, passphrase, int(arg))
                finally:
                    os._exit(0)
            _say(f"pid {pid}")
        elif cmd == "reap":
            os.waitpid(int(arg), 0)
            _say(f"reaped {arg}")
        elif cmd == "quit":
            break


if __name__ == "__main__":
    main()
