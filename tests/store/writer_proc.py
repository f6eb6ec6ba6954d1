"""A store writer in a process of its own, for the concurrency and crash tests.

    python -m tests.store.writer_proc URL MODE FOLDER [MARKER]

MODE ``save``: scan FOLDER and store it; ``open``: only open the store (migrate); ``hang``: store
FOLDER's scan in batches of 2 findings, write MARKER after the first batch is inserted and then
wait forever inside the transaction, so the test can kill the process mid-write.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from kubeguard.api import scan
from kubeguard.store import describe_source, open_store
from kubeguard.store import store as store_module


def main() -> None:
    url, mode, folder = sys.argv[1:4]
    if mode == "open":
        open_store(url).close()
        return
    report = scan([folder])
    store = open_store(url)
    if mode == "hang":
        marker = sys.argv[4]
        store_module.BATCH = 2
        real = store_module._insert
        calls = {"n": 0}

        def insert(conn: Any, rows: list[dict[str, Any]]) -> None:
            real(conn, rows)
            calls["n"] += 1
            if calls["n"] == 2:  # two batches are in the database, inside the open transaction
                with open(marker, "w") as fh:
                    fh.write("inserted")
                time.sleep(600)

        store_module._insert = insert
    scan_id = store.save(report, describe_source([folder], report.options))
    print(scan_id, len(report.findings))
    store.close()


if __name__ == "__main__":
    main()
