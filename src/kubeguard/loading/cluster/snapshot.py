"""Snapshots: what a scan needs from a cluster, in one compressed, versioned file, read back as a cluster.

``kubeguard snapshot -o FILE`` reads the cluster as a scan with every rule would (the same kinds,
pages and trimming: Secrets without their values, no ``managedFields`` or ``status``) and writes
gzip-compressed JSON (documented in docs/cluster.md)::

    {"kind": "KubeguardSnapshot", "schemaVersion": 1,
     "tool": {"name": "kubeguard", "version": "..."},
     "cluster": {context, server, version, collectedAt, namespaces, objects, forbidden, available},
     "warnings": [...], "errors": [...],
     "objects": [every object read, as the API served it, trimmed]}

Any command given the file (``kubeguard scan FILE``) reads it as the cluster it was taken from: the
same objects with the same ``k8s://`` locations, the same server version, the same forbidden
kinds, so it gives exactly the findings of a live scan at that time. No credential is ever in a
snapshot: requests' headers are not recorded, and Secret values never reach kubeguard.
"""

from __future__ import annotations

import gzip
from typing import Any

import orjson

from kubeguard._version import __version__
from kubeguard.loading.cluster.collect import ClusterRead, forbidden_problems, to_resource
from kubeguard.loading.cluster.source import ClusterInfo, Forbidden, KindSelection, cluster_uri
from kubeguard.model.errors import InputError

SNAPSHOT_KIND = "KubeguardSnapshot"
SCHEMA_VERSION = 1
GZIP_MAGIC = b"\x1f\x8b"


class SnapshotError(ValueError):
    """A file that is no snapshot this version of kubeguard can read; the message says why."""


def is_snapshot_file(path: str) -> bool:
    """Whether ``path`` starts like a snapshot (gzip data): then it is read as one, never as YAML."""
    try:
        with open(path, "rb") as fh:
            return fh.read(2) == GZIP_MAGIC
    except OSError:
        return False


def write_snapshot(read: ClusterRead, path: str) -> int:
    """Write ``read`` to ``path`` (gzip JSON); returns the number of objects written."""
    objects = [r.raw for r in read.resources]
    document = {
        "kind": SNAPSHOT_KIND,
        "schemaVersion": SCHEMA_VERSION,
        "tool": {"name": "kubeguard", "version": __version__},
        "cluster": read.info.to_dict(),
        "warnings": list(read.warnings),
        # forbidden lists are kept in "cluster"; other lists that failed are kept as they were said
        "errors": [e.message for e in read.errors if "forbidden (cannot list" not in e.message],
        "objects": objects,
    }
    data = orjson.dumps(document)
    with gzip.open(path, "wb", compresslevel=6) as fh:
        fh.write(data)
    return len(objects)


def _info(cluster: Any) -> ClusterInfo:
    if not isinstance(cluster, dict) or not isinstance(cluster.get("context"), str):
        raise SnapshotError("its cluster section names no context")
    forbidden = [
        Forbidden(str(f.get("resource")), str(f.get("kind")), f.get("namespace"))
        for f in cluster.get("forbidden") or []
        if isinstance(f, dict)
    ]
    return ClusterInfo(
        context=cluster["context"],
        server=str(cluster.get("server") or ""),
        version=cluster.get("version") if isinstance(cluster.get("version"), str) else None,
        collected_at=str(cluster.get("collectedAt") or ""),
        namespaces=[str(n) for n in cluster.get("namespaces") or []],
        counts={str(k): int(v) for k, v in (cluster.get("objects") or {}).items()},
        forbidden=forbidden,
        available={str(k): str(v) for k, v in (cluster.get("available") or {}).items()},
    )


def read_snapshot(path: str, kinds: KindSelection | None, max_bytes: int) -> ClusterRead:
    """The cluster a snapshot holds, as a live read would give it. Raises :class:`SnapshotError`."""
    from kubeguard.loading.cluster.source import EVERYTHING

    try:
        with gzip.open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except (OSError, EOFError) as exc:
        raise SnapshotError(f"not a readable gzip file ({exc})") from None
    if len(data) > max_bytes:
        raise SnapshotError(f"decompresses to more than {max_bytes // 1048576} MiB (--max-file-size x 16)")
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise SnapshotError(f"not JSON inside the gzip data ({exc})") from None
    if not isinstance(document, dict) or document.get("kind") != SNAPSHOT_KIND:
        raise SnapshotError(f"gzip data that is no kubeguard snapshot (kind is not {SNAPSHOT_KIND})")
    version = document.get("schemaVersion")
    if version != SCHEMA_VERSION:
        raise SnapshotError(
            f"snapshot schema version {version!r}; this kubeguard reads version {SCHEMA_VERSION}"
        )
    info = _info(document.get("cluster"))
    info.source = path
    objects = document.get("objects")
    if not isinstance(objects, list):
        raise SnapshotError("its objects are not a list")
    read = ClusterRead(info, warnings=[str(w) for w in document.get("warnings") or []])
    read.resources = [to_resource(info.context, obj) for obj in objects if isinstance(obj, dict)]
    errors, warnings = forbidden_problems(info, kinds or EVERYTHING)
    read.errors = errors + [
        InputError(cluster_uri(info.context), str(m)) for m in document.get("errors") or []
    ]
    read.warnings.extend(w for w in warnings if w not in read.warnings)
    return read
