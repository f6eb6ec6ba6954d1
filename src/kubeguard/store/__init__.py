"""The results store: scans and their findings kept over time, in SQLite or PostgreSQL.

:func:`open_store` takes a URL (``sqlite:///path.db``, a bare path, or ``postgresql://user@host/db``),
brings the schema up to date (:mod:`.migrate`) and returns a :class:`Store`. A store persists
``ScanReport``s and nothing else: reporters and rules never import it.
"""

from __future__ import annotations

from kubeguard.store.records import Diff, ScanRecord, TrendPoint
from kubeguard.store.source import ScanSource, describe_source
from kubeguard.store.store import Store, open_store
from kubeguard.store.url import StoreError, engine_url

__all__ = [
    "Diff",
    "ScanRecord",
    "ScanSource",
    "Store",
    "StoreError",
    "TrendPoint",
    "describe_source",
    "engine_url",
    "open_store",
]
