"""Reading a live cluster into Resources: discovery, then paged lists of the kinds the rules need.

Every list is paged (``limit`` + ``continue``); a continue token the server no longer honours (410
Expired) restarts that list from the beginning, so no object is missed or read twice. Lists run
in a small thread pool; each page is decoded and trimmed (:mod:`.trim`) on arrival. A resource the
credentials may not list (403) is recorded and named in the errors, and the rest is still read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from kubeguard.loading.cluster.connection import ApiStatus, Connection
from kubeguard.loading.cluster.discovery import ApiResource, discover, each_ordered
from kubeguard.loading.cluster.live_extras import kubelet_configs, summarize
from kubeguard.loading.cluster.source import (
    EVERYTHING,
    ClusterInfo,
    ClusterSource,
    Forbidden,
    KindSelection,
    cluster_uri,
    object_uri,
    qualified_kind,
)
from kubeguard.loading.cluster.trim import trim
from kubeguard.model.errors import InputError
from kubeguard.model.kinds import BUILTIN_KINDS, api_group
from kubeguard.model.pointer import ROOT
from kubeguard.model.resource import Resource, SourceLocation

#: A list restarts at most this often after 410 Expired before it is reported as not read.
MAX_RESTARTS = 3


@dataclass(slots=True)
class ClusterRead:
    """What was read from one cluster (live or from a snapshot), as Resources and errors."""

    info: ClusterInfo
    resources: list[Resource] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def to_resource(context: str, obj: dict[str, Any]) -> Resource:
    """A collected object as a Resource located by its URI (no line: it is no file)."""
    metadata = obj.get("metadata") or {}
    group = api_group(str(obj.get("apiVersion") or ""))
    uri = object_uri(
        context, group, str(obj.get("kind")), metadata.get("namespace"), str(metadata.get("name") or "")
    )
    return Resource(obj, SourceLocation(uri, 0, None, ROOT, "cluster", None))


def forbidden_problems(info: ClusterInfo, kinds: KindSelection) -> tuple[list[InputError], list[str]]:
    """The errors and warnings for what was forbidden: one error per forbidden list (``secrets:
    forbidden — SEC, NET rules did not run on Secret objects``); forbidden custom resources that no
    selected rule names (read only to find pod templates in them by shape) are one warning instead:
    most clusters have CRDs a scanner's role does not cover (docs/cluster.md), and each would
    otherwise turn every scan into exit 3."""
    errors: list[InputError] = []
    shape: set[str] = set()
    for item in info.forbidden:
        group = item.resource.partition(".")[2]
        if group and group not in BUILTIN_KINDS and item.kind not in kinds.kinds:
            shape.add(item.resource)
            continue
        where = f" in namespace {item.namespace}" if item.namespace else ""
        families = kinds.families(item.kind)
        lost = (
            f"{', '.join(families)} rules did not run on {item.kind} objects"
            if families
            else f"{item.kind} objects were not read"
        )
        errors.append(
            InputError(cluster_uri(info.context), f"{item.resource}: forbidden (cannot list{where}) — {lost}")
        )
    warnings: list[str] = []
    if shape:
        names = sorted(shape)
        shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        warnings.append(
            f"{len(names)} custom resource kind(s) could not be listed (forbidden: {shown}); pod templates "
            "in them were not checked"
        )
    return errors, warnings


def collect(
    source: ClusterSource,
    kinds: KindSelection | None = None,
    progress: Callable[[str], None] | None = None,
) -> ClusterRead:
    """Read the cluster ``source`` names; ``kinds``: which kinds to list (default: every kind).
    Raises :class:`~.source.ClusterError` when the cluster cannot be read at all."""
    kinds = kinds or EVERYTHING
    conn = Connection(source)
    try:
        return _collect(conn, source, kinds, progress)
    finally:
        conn.close()


def _list_all(conn: Connection, resource: ApiResource, namespace: str | None, page_size: int) -> list[Any]:
    """Every object of one list, page by page; restarts the list when its continue token expired."""
    restarts = 0
    while True:
        out: list[Any] = []
        token: str | None = None
        try:
            while True:
                query = [("limit", str(page_size))]
                if token:
                    query.append(("continue", token))
                page = conn.get(resource.path(namespace), query)
                items = page.get("items") if isinstance(page, dict) else None
                for item in items or ():
                    if isinstance(item, dict):
                        out.append(trim(item, resource.api_version, resource.kind))
                metadata = page.get("metadata") if isinstance(page, dict) else None
                token = metadata.get("continue") if isinstance(metadata, dict) else None
                if not token:
                    return out
        except ApiStatus as exc:
            if exc.code == 410 and token and restarts < MAX_RESTARTS:
                restarts += 1  # the snapshot behind the token is gone: list again from the start
                continue
            raise


def _collect(
    conn: Connection, source: ClusterSource, kinds: KindSelection, progress: Callable[[str], None] | None
) -> ClusterRead:
    started = dt.datetime.now(dt.UTC).replace(microsecond=0)
    version = conn.check_credentials()
    info = ClusterInfo(
        context=conn.context,
        server=conn.server,
        version=str(version["gitVersion"]) if isinstance(version.get("gitVersion"), str) else None,
        collected_at=started.isoformat().replace("+00:00", "Z"),
        namespaces=sorted(source.namespaces),
    )
    found, warnings = discover(conn, source.workers)
    read = ClusterRead(info, warnings=warnings)
    wanted = [r for r in found if kinds.wants(r.group, r.kind, r.group in BUILTIN_KINDS)]
    tasks: list[tuple[ApiResource, str | None]] = []
    for resource in wanted:
        if resource.namespaced and source.namespaces:
            tasks.extend((resource, ns) for ns in sorted(source.namespaces))
        else:
            tasks.append((resource, None))

    def run(task: tuple[ApiResource, str | None]) -> list[Any] | ApiStatus:
        try:
            return _list_all(conn, task[0], task[1], source.page_size)
        except ApiStatus as exc:
            return exc

    objects: list[dict[str, Any]] = []
    for (resource, namespace), outcome in each_ordered(tasks, run, source.workers):
        label = qualified_kind(resource.kind, resource.group)
        if isinstance(outcome, ApiStatus):
            if outcome.code == 403:
                info.forbidden.append(Forbidden(resource.name, resource.kind, namespace))
            else:
                where = f" in namespace {namespace}" if namespace else ""
                read.errors.append(
                    InputError(cluster_uri(info.context), f"{resource.name}: cannot list{where}: {outcome}")
                )
            continue
        info.counts[label] = info.counts.get(label, 0) + len(outcome)
        objects.extend(outcome)
        if progress is not None:
            progress(f"{resource.name}{'/' + namespace if namespace else ''}: {len(outcome)} object(s)")
    read.resources = [to_resource(info.context, obj) for obj in objects]
    if source.configz:
        configs, note = kubelet_configs(conn, read.resources, source.workers)
        info.available["configz"] = note
        read.resources.extend(to_resource(info.context, obj) for obj in configs)
    summarize(info, read.resources, kinds)
    errors, warnings = forbidden_problems(info, kinds)
    read.errors[:0] = errors
    read.warnings.extend(warnings)
    return read


def count_objects(resources: Iterable[Resource]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for r in resources:
        label = qualified_kind(r.kind, r.group)
        counts[label] = counts.get(label, 0) + 1
    return counts
