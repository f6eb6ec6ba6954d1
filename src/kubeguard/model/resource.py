"""Resources as read from the input: the object, where it came from, and who it is."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from kubeguard.model.kinds import BUILTIN_WORKLOAD_KINDS, CONFIG_GROUPS, api_group, is_cluster_scoped
from kubeguard.model.pointer import ROOT, Pointer

if TYPE_CHECKING:
    from kubeguard.model.workload import Workload

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class SourceLocation:
    """Where a resource came from.

    ``file`` is what users see (a path, ``<stdin>``, or a kustomization/chart directory);
    ``document`` is the index of the YAML document in that stream; ``line`` the 1-based line where
    the object starts (``None`` where unknown); ``base`` the pointer of the object inside its document
    (non-empty for items of a ``List``); ``origin`` says how it was produced (``file``, ``stdin``,
    ``kustomize``, ``helm``); ``text_key`` names the text the object can be re-read from to map a
    pointer to a line (the file path, or a key into the scan's kept texts).
    """

    file: str
    document: int = 0
    line: int | None = None
    base: Pointer = ROOT
    origin: str = "file"
    text_key: str | None = None


@dataclass(frozen=True, slots=True, order=True)
class ObjectRef:
    """Identity of an object: apiVersion, kind, namespace (``None`` if cluster-scoped/unset), name."""

    api_version: str
    kind: str
    namespace: str | None
    name: str

    def __str__(self) -> str:
        ns = f"{self.namespace}/" if self.namespace else ""
        return f"{self.kind}/{ns}{self.name}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "apiVersion": self.api_version,
            "kind": self.kind,
            "namespace": self.namespace,
            "name": self.name,
        }


class Resource:
    """One Kubernetes object. ``raw`` is the decoded object; treat it as read-only."""

    __slots__ = (
        "_memo",
        "_metadata",
        "_ref",
        "_workload",
        "api_version",
        "effective_namespace",
        "group",
        "kind",
        "name",
        "namespace",
        "raw",
        "source",
    )

    def __init__(self, raw: dict[str, Any], source: SourceLocation) -> None:
        self.raw = raw
        self.source = source
        self.api_version: str = str(raw.get("apiVersion") or "")
        self.kind: str = str(raw.get("kind") or "")
        self.group: str = api_group(self.api_version)
        md = raw.get("metadata")
        self._metadata: dict[str, Any] = md if isinstance(md, dict) else {}
        name = self._metadata.get("name") or self._metadata.get("generateName")
        if not name and self.group in CONFIG_GROUPS:
            name = self.kind
        #: The name (``metadata.name``, else ``generateName``; config files are named after their kind).
        self.name: str = str(name or "")
        ns = self._metadata.get("namespace")
        #: The namespace as written in the manifest (``None`` when absent).
        self.namespace: str | None = str(ns) if ns else None
        #: The namespace the object lands in: as written, else ``default``; ``None`` if cluster-scoped.
        self.effective_namespace: str | None = (
            None if is_cluster_scoped(self.kind, self.group) else (self.namespace or "default")
        )
        self._ref: ObjectRef | None = None
        self._workload: Workload | bool | None = False
        self._memo: dict[str, Any] | None = None

    @property
    def metadata(self) -> dict[str, Any]:
        return self._metadata

    @property
    def labels(self) -> dict[str, str]:
        labels = self.metadata.get("labels")
        return labels if isinstance(labels, dict) else {}

    @property
    def annotations(self) -> dict[str, str]:
        ann = self.metadata.get("annotations")
        return ann if isinstance(ann, dict) else {}

    @property
    def ref(self) -> ObjectRef:
        if self._ref is None:
            self._ref = ObjectRef(self.api_version, self.kind, self.effective_namespace, self.name)
        return self._ref

    @property
    def workload(self) -> Workload | None:
        """The pod template view when this object runs pods (built once), else ``None``."""
        if self._workload is False:
            from kubeguard.model.workload import Workload

            self._workload = Workload.of(self)
        return self._workload  # type: ignore[return-value]

    def memo(self, key: str, build: Callable[[Resource], _T]) -> _T:
        """``build(self)``, computed once per resource and ``key``: a view several scopes ask for.

        ``build`` must be a pure function of the resource, so two threads that race on the first
        call store equal values and either may win.
        """
        memo = self._memo
        if memo is None:
            memo = self._memo = {}
        try:
            return memo[key]  # type: ignore[no-any-return]
        except KeyError:
            value = memo[key] = build(self)
            return value

    @property
    def is_builtin_workload(self) -> bool:
        return self.kind in BUILTIN_WORKLOAD_KINDS

    def get(self, pointer: Pointer, default: Any = None) -> Any:
        try:
            return pointer.resolve(self.raw)
        except KeyError:
            return default

    def __repr__(self) -> str:
        return f"Resource({self.ref}, {self.source.file}:{self.source.line})"
