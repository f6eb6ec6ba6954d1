"""What a rule sees besides its own resource: every resource of the scan, indexed, the options and
the configuration, and analyses (graphs) built once per scan on first use."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, TypeVar

from kubeguard.model.config import EMPTY_CONFIG, Config
from kubeguard.model.resource import Resource
from kubeguard.model.versions import KubeVersion, PssLevel, PssPolicy, VersionError

T = TypeVar("T")


class OptionsError(ValueError):
    """A :class:`ScanOptions` value that is not valid; the message names the field and the value."""


@dataclass(frozen=True, slots=True)
class ScanOptions:
    """Options that change what rules check, validated (and spelled canonically) once, when made.

    ``pss_level``/``pss_version``: the Pod Security Standards level (``privileged``, ``baseline`` or
    ``restricted``) and policy version (``latest`` or ``v1.N``) that the PSS rules evaluate.
    ``k8s_version``: the target Kubernetes version (``latest`` or ``v1.N``) for API deprecations
    and for what older versions create (token Secrets for every service account before v1.24).
    Versions may be written ``1.N``; levels in any case. A value that is none of these raises
    :class:`OptionsError`. Rules read the typed values ``pss`` and ``k8s``.
    ``builtin_rbac``: include Kubernetes' default bootstrap roles and bindings in RBAC analysis.
    ``extra``: anything else a command passes to its rules (kept read-only).
    """

    pss_level: str = "restricted"
    pss_version: str = "latest"
    k8s_version: str = "latest"
    builtin_rbac: bool = True
    extra: Mapping[str, Any] = field(default_factory=dict)
    pss: PssPolicy = field(init=False, repr=False, compare=False)
    k8s: KubeVersion = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        try:
            level = PssLevel.parse(self.pss_level)
        except VersionError as exc:
            raise OptionsError(f"pss_level: {exc}") from None
        try:
            pss_version = KubeVersion.parse(self.pss_version)
        except VersionError as exc:
            raise OptionsError(f"pss_version: {exc}") from None
        try:
            k8s = KubeVersion.parse(self.k8s_version)
        except VersionError as exc:
            raise OptionsError(f"k8s_version: {exc}") from None
        # Frozen: set the canonical spellings and typed values once, here.
        object.__setattr__(self, "pss_level", level.value)
        object.__setattr__(self, "pss_version", str(pss_version))
        object.__setattr__(self, "k8s_version", str(k8s))
        object.__setattr__(self, "pss", PssPolicy(level, pss_version))
        object.__setattr__(self, "k8s", k8s)
        object.__setattr__(self, "extra", MappingProxyType(dict(self.extra)))


class ScanContext:
    """The whole input of one scan, indexed for cross-resource rules."""

    def __init__(
        self,
        resources: Iterable[Resource],
        options: ScanOptions | None = None,
        config: Config | None = None,
    ) -> None:
        self.resources: list[Resource] = list(resources)
        self.options = options or ScanOptions()
        self.config = config or EMPTY_CONFIG
        self._by_kind: dict[str, list[Resource]] | None = None
        self._by_key: dict[tuple[str, str | None, str], Resource] | None = None
        self._cache: dict[Callable[..., Any], Any] = {}

    def _index(self) -> None:
        by_kind: dict[str, list[Resource]] = defaultdict(list)
        by_key: dict[tuple[str, str | None, str], Resource] = {}
        for r in self.resources:
            by_kind[r.kind].append(r)
            by_key.setdefault((r.kind, r.effective_namespace, r.name), r)
        self._by_kind = dict(by_kind)
        self._by_key = by_key

    def of_kind(self, *kinds: str) -> list[Resource]:
        """Resources of the given kinds, in input order."""
        if self._by_kind is None:
            self._index()
        assert self._by_kind is not None
        if len(kinds) == 1:
            return self._by_kind.get(kinds[0], [])
        return [r for r in self.resources if r.kind in kinds]

    def find(self, kind: str, namespace: str | None, name: str) -> Resource | None:
        """The object of that kind, namespace (``None`` for cluster-scoped) and name, if in the input."""
        if self._by_key is None:
            self._index()
        assert self._by_key is not None
        return self._by_key.get((kind, namespace, name))

    def namespaces(self) -> set[str]:
        """Every namespace named in the input: Namespace objects and namespaces of namespaced objects."""
        names = {r.name for r in self.of_kind("Namespace")}
        names.update(ns for r in self.resources if (ns := r.effective_namespace))
        return names

    def cached(self, builder: Callable[[ScanContext], T]) -> T:
        """``builder(self)``, computed once per scan (for graphs such as RBAC or network policy)."""
        try:
            return self._cache[builder]  # type: ignore[no-any-return]
        except KeyError:
            value = builder(self)
            self._cache[builder] = value
            return value
