"""Resource and verb names as kubectl resolves them, for questions asked on the command line.

kubectl's RESTMapper accepts a resource by its plural name, its singular name, a short name
(``po``, ``deploy``, ``svc``, ``netpol`` ...) or its kind, in any case, optionally qualified by its
API group (``deployments.apps``, ``deploy.apps``, ``deployments.v1.apps``). The names come from API
discovery: the built-in APIs (``api_resources.yaml``) and the CustomResourceDefinitions of the input
(``spec.names``). When a name belongs to several groups, the core group wins, then the built-in
groups, then custom resources, as kubectl's priority order does.

RBAC also checks names that are not served as objects (``users``, ``groups``, ``uids`` and
``userextras`` for impersonation, ``signers``), and any name a role of the input grants: such names
are accepted as they are. Everything else is an :class:`UnknownName` with a did-you-mean, so that a
typo is an error rather than a silent "no".
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources as pkg_resources
from typing import Any

import yaml

from kubeguard.model.rbac import ALL, RoleView
from kubeguard.model.resource import Resource

CRD_GROUP = "apiextensions.k8s.io"
_VERSION = re.compile(r"v[0-9]+(?:(?:alpha|beta)[0-9]+)?")


class UnknownName(ValueError):
    """A verb or resource that neither Kubernetes nor the input knows; the message suggests names."""


@dataclass(frozen=True, slots=True)
class ApiResource:
    """One resource type: its API group, plural/singular/short names, kind and scope."""

    group: str
    plural: str
    singular: str
    kind: str
    short_names: tuple[str, ...]
    namespaced: bool

    def names(self) -> set[str]:
        """Every lower-case name that selects this resource."""
        out = {self.plural, self.singular, *self.short_names}
        if self.kind:
            out.add(self.kind.lower())
        return {n.lower() for n in out if n}

    def qualified(self) -> str:
        return f"{self.plural}.{self.group}" if self.group else self.plural


@dataclass(frozen=True, slots=True)
class ResolvedName:
    group: str
    resource: str
    namespaced: bool | None  # None: not known (a name only the input's roles use)


@cache
def _data() -> dict[str, Any]:
    text = (pkg_resources.files("kubeguard.analyzers.rbac") / "api_resources.yaml").read_text(
        encoding="utf-8"
    )
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data: dict[str, Any] = yaml.load(text, Loader=loader)
    return data


def _entries(section: str) -> list[ApiResource]:
    out = []
    for group, rows in _data()[section].items():
        for plural, singular, kind, short, namespaced in rows:
            out.append(ApiResource(str(group), plural, singular, kind, tuple(short), bool(namespaced)))
    return out


@cache
def builtin_resources() -> tuple[ApiResource, ...]:
    """Kubernetes' built-in resources and the names only RBAC checks (users, groups, signers ...)."""
    return tuple(_entries("groups") + _entries("rbacOnly"))


@cache
def resource_verbs() -> tuple[str, ...]:
    return tuple(_data()["resourceVerbs"])


@cache
def url_verbs() -> tuple[str, ...]:
    return tuple(_data()["nonResourceVerbs"])


def crd_resource(resource: Resource) -> ApiResource | None:
    """The resource a CustomResourceDefinition declares, or ``None`` if it does not name one."""
    if resource.kind != "CustomResourceDefinition" or resource.group != CRD_GROUP:
        return None
    spec = resource.raw.get("spec")
    spec = spec if isinstance(spec, dict) else {}
    names = spec.get("names")
    names = names if isinstance(names, dict) else {}
    group, plural, kind = spec.get("group"), names.get("plural"), names.get("kind")
    if not (isinstance(group, str) and isinstance(plural, str) and plural and isinstance(kind, str)):
        return None
    singular = names.get("singular")
    short = names.get("shortNames")
    return ApiResource(
        group=group,
        plural=plural.lower(),
        singular=(singular if isinstance(singular, str) and singular else kind).lower(),
        kind=kind,
        short_names=tuple(s.lower() for s in short if isinstance(s, str)) if isinstance(short, list) else (),
        namespaced=spec.get("scope") != "Cluster",
    )


class ApiNames:
    """Known resources and verbs: built-ins, the input's CRDs, and the names the input's roles use."""

    def __init__(
        self,
        resources: Iterable[ApiResource],
        rule_resources: Mapping[str, Iterable[str]] | None = None,
        rule_verbs: Iterable[str] = (),
        url_rule_verbs: Iterable[str] = (),
    ) -> None:
        self.resources = list(resources)
        self._by_name: dict[str, list[ApiResource]] = defaultdict(list)
        for r in self.resources:  # in priority order: the first resource of a name wins
            for n in r.names():
                self._by_name[n].append(r)
        self.groups = {r.group for r in self.resources}
        #: resource name -> API groups with which the input's roles name it (``*`` included)
        self.rule_resources = {k.lower(): set(v) for k, v in (rule_resources or {}).items()}
        self.rule_verbs = set(rule_verbs)
        self.url_rule_verbs = set(url_rule_verbs)

    @classmethod
    def builtin(cls) -> ApiNames:
        return cls(builtin_resources())

    @classmethod
    def of_input(cls, resources: Iterable[Resource], roles: Iterable[RoleView] = ()) -> ApiNames:
        """Built-ins, then every CRD of ``resources``; names and verbs used by ``roles``."""
        crds = [c for r in resources if (c := crd_resource(r)) is not None]
        rule_resources: dict[str, set[str]] = defaultdict(set)
        verbs: set[str] = set()
        url_verbs_: set[str] = set()
        for role in roles:
            for rule in role.rules:
                if rule.resources:
                    verbs.update(rule.verbs)
                if rule.non_resource_urls:
                    url_verbs_.update(rule.verbs)
                for res in rule.resources:
                    base = res.partition("/")[0]
                    if base and base != ALL:
                        rule_resources[base].update(rule.api_groups)
        return cls([*builtin_resources(), *crds], rule_resources, verbs, url_verbs_)

    # verbs -------------------------------------------------------------------------------------------

    def check_verb(self, verb: str, url: bool = False) -> None:
        """``UnknownName`` unless ``verb`` is one Kubernetes checks or one the input's roles grant."""
        known = url_verbs() if url else resource_verbs()
        granted = self.url_rule_verbs if url else self.rule_verbs
        if verb in known or verb in granted:
            return
        what = "non-resource URL verb" if url else "verb"
        raise UnknownName(f"unknown {what} {verb!r}{_did_you_mean(verb, [*known, *granted])}")

    # resources ---------------------------------------------------------------------------------------

    def resolve(self, name: str, group: str | None = None) -> ResolvedName:
        """The API group and plural resource name of ``name`` (``group``: given by the user)."""
        text = name.strip().lower()
        if group is None:
            found = self._by_name.get(text)
            if found:
                return self._resolved(found[0])
            groups = self.rule_resources.get(text)
            if groups:
                specific = sorted(g for g in groups if g != ALL)
                if len(specific) > 1:
                    raise UnknownName(
                        f"resource {name!r} is granted in several API groups ({', '.join(specific)}) "
                        f"by the input's roles: give {text}.GROUP"
                    )
                return ResolvedName(specific[0] if specific else "", text, None)
            raise UnknownName(f"unknown resource {name!r}{self._suggest(text)}{_HINT}")
        for r in self._by_name.get(text, ()):
            if r.group == group:
                return self._resolved(r)
        granted = self.rule_resources.get(text, set())
        if group in granted or ALL in granted:
            return ResolvedName(group, text, None)
        if group in self.groups:
            in_group = [r for r in self.resources if r.group == group]
            candidates = {n: r for r in in_group for n in r.names()}
            close = difflib.get_close_matches(text, list(candidates), n=3, cutoff=0.6)
            shown = _unique(candidates[c].qualified() for c in close)
            hint = f"; did you mean {' or '.join(shown)}?" if shown else ""
            others = [r.qualified() for r in self._by_name.get(text, ())]
            if others and not hint:
                hint = f"; {text} is {' or '.join(_unique(others))}"
            label = group or "core"
            raise UnknownName(f"API group {label!r} has no resource {name!r}{hint}")
        # an API group kubeguard does not know (aggregated APIs, CRDs not in the input): as given
        return ResolvedName(group, text, None)

    @staticmethod
    def _resolved(r: ApiResource) -> ResolvedName:
        return ResolvedName(r.group, r.plural, r.namespaced)

    def _suggest(self, text: str) -> str:
        close = difflib.get_close_matches(text, list(self._by_name), n=3, cutoff=0.6)
        shown = _unique(self._by_name[c][0].qualified() for c in close)
        return f"; did you mean {' or '.join(shown)}?" if shown else ""

    def split_group(self, rest: str) -> str:
        """The API group of ``RESOURCE.REST``: ``REST``, or ``REST`` without a leading version
        (``v1.apps``) when that names a known group, as kubectl reads ``deployments.v1.apps``."""
        if rest in self.groups:
            return rest
        version, dot, group = rest.partition(".")
        if dot and _VERSION.fullmatch(version) and group in self.groups:
            return group
        return rest


_HINT = " (custom resources: include their CustomResourceDefinition in the input, or give RESOURCE.GROUP)"


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _did_you_mean(word: str, candidates: Iterable[str]) -> str:
    pool = _unique(c for c in candidates if c != ALL)
    lower = {c.lower(): c for c in pool}
    if word.lower() in lower:
        return f"; did you mean {lower[word.lower()]!r}? (verbs are case-sensitive)"
    close = difflib.get_close_matches(word, pool, n=3, cutoff=0.6)
    return f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
