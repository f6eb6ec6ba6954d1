"""Audit Policy (``audit.k8s.io/v1``) evaluated the way the API server evaluates it.

Rules are tried in order and the first rule that matches a request decides its level (``None``,
``Metadata``, ``Request``, ``RequestResponse``); a request no rule matches is not logged. A rule
matches when every condition it sets holds: ``users``, ``userGroups`` (any group), ``verbs``,
``namespaces`` (``""`` is cluster-scoped), ``resources`` (group, resources with ``*``,
``*/subresource`` and ``resource/*`` patterns, resourceNames) for resource requests, and
``nonResourceURLs`` (exact or ``prefix*``) for the rest; a rule with ``resources`` or ``namespaces``
never matches a non-resource request and one with ``nonResourceURLs`` never a resource request.

To ask "can any request of this shape be logged at Request level?", :func:`outcomes` evaluates one
representative request per class the policy can tell apart: every user, group, namespace and
resource name the policy mentions, plus one it does not mention. That is exact, because a rule only
tests membership in the lists it names.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from kubeguard.model.pointer import Pointer

LEVELS = ("None", "Metadata", "Request", "RequestResponse")
LEVEL_RANK = {name: i for i, name in enumerate(LEVELS)}
STAGES = ("RequestReceived", "ResponseStarted", "ResponseComplete", "Panic")

#: Stand-ins for "a value the policy does not mention".
OTHER_USER = "<any other user>"
OTHER_NAMESPACE = "<any other namespace>"
OTHER_NAME = "<any other name>"


@dataclass(frozen=True, slots=True)
class Request:
    """The attributes of one API request the policy can look at."""

    verb: str
    group: str = ""
    resource: str = ""
    subresource: str = ""
    namespace: str = ""
    name: str = ""
    user: str = OTHER_USER
    groups: tuple[str, ...] = ()
    path: str = ""

    @property
    def is_resource(self) -> bool:
        return bool(self.resource)

    def describe(self) -> str:
        who = self.user if not self.groups else f"{self.user} in group {self.groups[0]}"
        if not self.is_resource:
            return f"{self.verb} {self.path} by {who}"
        res = self.resource + (f"/{self.subresource}" if self.subresource else "")
        grp = f"{self.group}/" if self.group else ""
        where = f" in namespace {self.namespace}" if self.namespace else ""
        named = f" named {self.name}" if self.name and self.name != OTHER_NAME else ""
        return f"{self.verb} {grp}{res}{named}{where} by {who}"


@dataclass(frozen=True, slots=True)
class PolicyRule:
    index: int
    raw: dict[str, Any]

    @property
    def at(self) -> Pointer:
        return Pointer(("rules", self.index))

    @property
    def level(self) -> str:
        return str(self.raw.get("level") or "")

    def _list(self, key: str) -> list[Any]:
        v = self.raw.get(key)
        return v if isinstance(v, list) else []

    @property
    def is_catch_all(self) -> bool:
        """Matches every request: no condition set."""
        return not any(
            self._list(k)
            for k in ("users", "userGroups", "verbs", "resources", "namespaces", "nonResourceURLs")
        )

    def matches(self, req: Request) -> bool:
        verbs = self._list("verbs")
        if verbs and req.verb not in verbs:
            return False
        users = self._list("users")
        if users and req.user not in users:
            return False
        groups = self._list("userGroups")
        if groups and not any(g in groups for g in req.groups):
            return False
        resources = self._list("resources")
        namespaces = self._list("namespaces")
        urls = self._list("nonResourceURLs")
        if req.is_resource:
            if urls:
                return False
            if namespaces and req.namespace not in namespaces:
                return False
            if not resources:
                return True
            return _matches_resource(resources, req)
        if namespaces or resources:
            return False
        if not urls:
            return True
        return any(u == req.path or (u.endswith("*") and req.path.startswith(u[:-1])) for u in urls)


def _may_match_shape(rule: PolicyRule, probe: Request, namespaced: bool) -> bool:
    """Whether ``rule`` matches some request like ``probe`` for some user, group, verb and namespace."""
    raw = rule.raw
    if raw.get("nonResourceURLs"):
        return False
    namespaces = raw.get("namespaces")
    if isinstance(namespaces, list) and namespaces and not namespaced and "" not in namespaces:
        return False
    resources = raw.get("resources")
    if not isinstance(resources, list) or not resources:
        return True
    return _matches_resource(resources, probe)


def _matches_resource(groups: list[Any], req: Request) -> bool:
    combined = req.resource + (f"/{req.subresource}" if req.subresource else "")
    for gr in groups:
        if not isinstance(gr, dict):
            continue
        if str(gr.get("group") or "") != req.group:
            continue
        names = gr.get("resources") if isinstance(gr.get("resources"), list) else []
        if not names:
            return True
        resource_names = gr.get("resourceNames") if isinstance(gr.get("resourceNames"), list) else []
        if resource_names and req.name not in resource_names:
            continue
        for res in names:
            res = str(res)
            if res in (combined, "*"):
                return True
            if req.subresource and res.startswith("*/") and res[2:] == req.subresource:
                return True
            if res.endswith("/*") and res[:-2] == req.resource:
                return True
    return False


class Policy:
    """An audit Policy's rules and stages."""

    def __init__(self, raw: dict[str, Any], rules: list[PolicyRule] | None = None) -> None:
        self.raw = raw
        if rules is None:
            items = raw.get("rules")
            rules = [PolicyRule(i, r) for i, r in enumerate(items)] if isinstance(items, list) else []
        self.rules = [r for r in rules if isinstance(r.raw, dict)]

    def for_shape(self, group: str, resource: str, subresource: str, namespaced: bool) -> Policy:
        """Only the rules that can match some request on that resource (whatever the user, group,
        verb, namespace or name): first-match results for such requests are the same, and the
        values the other rules mention need not be enumerated."""
        probe_names = [*self.resource_names()]
        kept = []
        for rule in self.rules:
            for name in probe_names:
                probe = Request("get", group, resource, subresource, "", name)
                if _may_match_shape(rule, probe, namespaced):
                    kept.append(rule)
                    break
        return Policy(self.raw, kept)

    def first_match(self, req: Request) -> PolicyRule | None:
        for rule in self.rules:
            if rule.matches(req):
                return rule
        return None

    def level(self, req: Request) -> str:
        rule = self.first_match(req)
        return rule.level if rule is not None else "None"

    # --- the values the policy can tell apart --------------------------------------------------

    def _mentioned(self, key: str) -> list[str]:
        out: list[str] = []
        for r in self.rules:
            for v in r.raw.get(key) or []:
                if isinstance(v, str) and v not in out:
                    out.append(v)
        return out

    def users(self) -> list[str]:
        return [OTHER_USER, *self._mentioned("users")]

    def group_sets(self) -> list[tuple[str, ...]]:
        # One group at a time suffices: more groups only make earlier rules match.
        return [(), *((g,) for g in self._mentioned("userGroups"))]

    def namespaces(self) -> list[str]:
        return ["", *[n for n in self._mentioned("namespaces") if n], OTHER_NAMESPACE]

    def resource_names(self) -> list[str]:
        names: list[str] = []
        for r in self.rules:
            for gr in r.raw.get("resources") or []:
                if isinstance(gr, dict):
                    for n in gr.get("resourceNames") or []:
                        if isinstance(n, str) and n not in names:
                            names.append(n)
        return [*names, OTHER_NAME]


def outcomes(
    policy: Policy,
    verbs: Sequence[str],
    group: str,
    resource: str,
    subresource: str = "",
    namespaced: bool = True,
) -> Iterator[tuple[Request, PolicyRule | None]]:
    """Every distinguishable request of that shape with the rule that decides it."""
    policy = policy.for_shape(group, resource, subresource, namespaced)
    namespaces = policy.namespaces() if namespaced else [""]
    for verb in verbs:
        for user in policy.users():
            for groups in policy.group_sets():
                for ns in namespaces:
                    for name in policy.resource_names():
                        req = Request(verb, group, resource, subresource, ns, name, user, groups)
                        yield req, policy.first_match(req)


def worst(
    pairs: Iterable[tuple[Request, PolicyRule | None]], predicate: str
) -> tuple[Request, PolicyRule | None] | None:
    """The first request whose level is above ``Metadata`` (``predicate='above-metadata'``) or that
    is not logged at all (``predicate='unlogged'``)."""
    for req, rule in pairs:
        level = rule.level if rule is not None else "None"
        if predicate == "above-metadata" and LEVEL_RANK.get(level, 0) > LEVEL_RANK["Metadata"]:
            return req, rule
        if predicate == "unlogged" and level == "None":
            return req, rule
    return None
