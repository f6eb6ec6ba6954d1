"""API discovery: which resources a server serves, built-in and custom, and at which version.

Each resource is read once, at the first version that serves it in the group's order (the
preferred version first), as kubectl does. A built-in kind that an old server also serves under
``extensions`` is read from its own group only (the same objects, served twice). A group whose
discovery fails (an aggregated API whose backend is down answers 503) is a warning: the rest of
the cluster is still read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from kubeguard.loading.cluster.connection import ApiStatus, Connection
from kubeguard.loading.cluster.source import ClusterError
from kubeguard.model.kinds import BUILTIN_KINDS


@dataclass(frozen=True, slots=True)
class ApiResource:
    """One listable resource: ``pods`` in ``v1``, ``deployments`` in ``apps/v1``."""

    group: str
    version: str
    plural: str
    kind: str
    namespaced: bool

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def name(self) -> str:
        """The resource as RBAC and kubectl name it: ``secrets``, ``roles.rbac.authorization.k8s.io``."""
        return f"{self.plural}.{self.group}" if self.group else self.plural

    def path(self, namespace: str | None = None) -> str:
        base = f"/apis/{self.group}/{self.version}" if self.group else f"/api/{self.version}"
        if namespace is not None:
            return f"{base}/namespaces/{namespace}/{self.plural}"
        return f"{base}/{self.plural}"


def _listable(answer: Any, group: str, version: str) -> Iterable[ApiResource]:
    resources = answer.get("resources") if isinstance(answer, dict) else None
    for entry in resources if isinstance(resources, list) else ():
        if not isinstance(entry, dict):
            continue
        name, kind, verbs = entry.get("name"), entry.get("kind"), entry.get("verbs")
        if not isinstance(name, str) or "/" in name or not isinstance(kind, str):
            continue  # subresources (pods/log, nodes/proxy) are not lists of objects
        if not isinstance(verbs, list) or "list" not in verbs:
            continue
        yield ApiResource(group, version, name, kind, bool(entry.get("namespaced")))


def discover(conn: Connection, workers: int) -> tuple[list[ApiResource], list[str]]:
    """Every listable resource (core first, then the groups in the server's order) and warnings."""
    try:
        core = conn.get("/api")
        groups = conn.get("/apis")
    except ApiStatus as exc:
        raise ClusterError(f"{conn.server}: API discovery failed: {exc}") from None
    versions: list[tuple[str, str]] = [
        ("", str(v)) for v in (core.get("versions") if isinstance(core, dict) else None) or []
    ]
    for group in (groups.get("groups") if isinstance(groups, dict) else None) or []:
        if not isinstance(group, dict) or not isinstance(group.get("name"), str):
            continue
        preferred = (group.get("preferredVersion") or {}).get("version")
        listed = [str(v.get("version")) for v in group.get("versions") or [] if isinstance(v, dict)]
        ordered = ([preferred] if preferred in listed else []) + [v for v in listed if v != preferred]
        versions.extend((group["name"], v) for v in ordered)

    def fetch(gv: tuple[str, str]) -> Any:
        group, version = gv
        return conn.get(f"/apis/{group}/{version}" if group else f"/api/{version}")

    warnings: list[str] = []
    answers: list[Any] = []
    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="kubeguard-discovery") as pool:
        futures = [pool.submit(fetch, gv) for gv in versions]
        for (group, version), future in zip(versions, futures, strict=True):
            try:
                answers.append(future.result())
            except ApiStatus as exc:
                warnings.append(
                    f"API discovery of {group or 'core'}/{version} failed ({exc}); its resources were not read"
                )
                answers.append(None)
    seen: set[tuple[str, str]] = set()
    found: list[ApiResource] = []
    for (group, version), answer in zip(versions, answers, strict=True):
        for resource in _listable(answer, group, version):
            if (group, resource.plural) not in seen:
                seen.add((group, resource.plural))
                found.append(resource)
    elsewhere = {r.kind for r in found if r.group in BUILTIN_KINDS and r.group not in ("", "extensions")}
    found = [r for r in found if r.group != "extensions" or r.kind not in elsewhere]
    return found, warnings


def each_ordered(items: list[Any], run: Callable[[Any], Any], workers: int) -> Iterable[tuple[Any, Any]]:
    """``(item, run(item))`` in ``items`` order, running at most ``workers`` at once."""
    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="kubeguard-list") as pool:
        futures = [pool.submit(run, item) for item in items]
        for item, future in zip(items, futures, strict=True):
            yield item, future.result()
