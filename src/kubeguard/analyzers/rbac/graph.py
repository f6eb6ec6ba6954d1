"""The RBAC graph of one input: roles (aggregation resolved), bindings, subjects, and indexes that
answer "who can", "can" and "what can" the way the Kubernetes RBAC authorizer decides.

Built once per scan (:func:`rbac_graph` with ``ctx.cached``) or once per command
(:meth:`RbacGraph.build`). Kubernetes' bootstrap roles and bindings are added first unless switched
off; an input object of the same kind, namespace and name replaces a built-in one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources as pkg_resources
from typing import Any

import yaml

from kubeguard.analyzers.rbac.requests import CLUSTER_SCOPED_RESOURCES, ResourceRequest, UrlRequest
from kubeguard.model.rbac import (
    BINDING_KINDS,
    RBAC_GROUP,
    ROLE_KINDS,
    BindingView,
    Identity,
    PolicyRule,
    RoleKey,
    RoleView,
    Subject,
    parse_binding,
    parse_role,
    verb_matches,
)
from kubeguard.model.resource import Resource
from kubeguard.rules.context import ScanContext

BOOTSTRAP_LABEL = "kubernetes.io/bootstrapping"


@dataclass(frozen=True, slots=True)
class ResolvedRule:
    """A rule of a role, with the role that declares it (another role for aggregated ClusterRoles)."""

    rule: PolicyRule
    origin: RoleView
    index: int  # position in the resolved role's rule list


@dataclass(frozen=True, slots=True)
class Grant:
    """Why a subject holds a permission: the binding, the role, and the rule that allow it."""

    subject: Subject
    binding: BindingView
    role: RoleView
    rule: ResolvedRule

    @property
    def scope(self) -> str | None:
        """``None`` cluster-wide (ClusterRoleBinding), else the binding's namespace."""
        return None if self.binding.cluster_wide else self.binding.namespace

    def why(self) -> str:
        origin = "" if self.rule.origin.key == self.role.key else f" (aggregated from {self.rule.origin})"
        return f"{self.binding} -> {self.role}{origin}: {self.rule.rule}"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "subject": self.subject.to_dict(),
            "scope": self.scope or "cluster",
            "binding": _ref(
                self.binding.kind, self.binding.namespace, self.binding.name, self.binding.builtin
            ),
            "role": _ref(self.role.kind, self.role.namespace, self.role.name, self.role.builtin),
            "rule": self.rule.rule.to_dict(),
        }
        if self.rule.origin.key != self.role.key:
            out["aggregatedFrom"] = _ref(
                self.rule.origin.kind,
                self.rule.origin.namespace,
                self.rule.origin.name,
                self.rule.origin.builtin,
            )
        return out


def _ref(kind: str, namespace: str | None, name: str, builtin: bool) -> dict[str, Any]:
    return {"kind": kind, "namespace": namespace, "name": name, "builtin": builtin}


@dataclass
class PermissionEntry:
    """Verbs allowed on one (API group, resource, resourceNames) or one non-resource URL."""

    api_group: str | None
    resource: str | None
    resource_names: tuple[str, ...]
    url: str | None
    verbs: set[str] = field(default_factory=set)
    granted_by: set[str] = field(default_factory=set)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.url is not None:
            out["nonResourceURL"] = self.url
        else:
            out["apiGroup"] = self.api_group
            out["resource"] = self.resource
            out["resourceNames"] = list(self.resource_names)
        out["verbs"] = sorted(self.verbs)
        out["grantedBy"] = sorted(self.granted_by)
        return out


@dataclass
class Permissions:
    """Effective permissions of one identity: cluster-wide, and added per namespace."""

    identity: Identity
    cluster_wide: list[PermissionEntry]
    namespaces: dict[str, list[PermissionEntry]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "subject": self.identity.label,
            "user": self.identity.user,
            "groups": sorted(self.identity.groups),
            "clusterWide": [e.to_dict() for e in self.cluster_wide],
            "namespaces": {
                ns: [e.to_dict() for e in entries] for ns, entries in sorted(self.namespaces.items())
            },
        }


# --- built-in policy -------------------------------------------------------------------------------


@cache
def bootstrap_policy() -> tuple[tuple[RoleView, ...], tuple[BindingView, ...]]:
    """Kubernetes' default roles and bindings, cluster-wide and in kube-system/kube-public (bundled
    data, read once)."""
    text = (pkg_resources.files("kubeguard.analyzers.rbac") / "bootstrap.yaml").read_text(encoding="utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data: Any = yaml.load(text, Loader=loader)
    roles = []
    for cr in data["clusterRoles"]:
        raw = {
            "kind": "ClusterRole",
            "metadata": {
                "name": cr["name"],
                "labels": {BOOTSTRAP_LABEL: "rbac-defaults", **(cr.get("labels") or {})},
            },
            "rules": cr.get("rules") or [],
        }
        if "aggregationRule" in cr:
            raw["aggregationRule"] = cr["aggregationRule"]
        roles.append(parse_role(raw))
    bindings = []
    for crb in data["clusterRoleBindings"]:
        raw = {
            "kind": "ClusterRoleBinding",
            "metadata": {"name": crb["name"]},
            "roleRef": {"apiGroup": RBAC_GROUP, "kind": "ClusterRole", "name": crb["role"]},
            "subjects": crb.get("subjects") or [],
        }
        bindings.append(parse_binding(raw))
    for role in data.get("roles") or ():
        raw = {
            "kind": "Role",
            "metadata": {
                "name": role["name"],
                "namespace": role["namespace"],
                "labels": {BOOTSTRAP_LABEL: "rbac-defaults"},
            },
            "rules": role.get("rules") or [],
        }
        roles.append(parse_role(raw))
    for rb in data.get("roleBindings") or ():
        raw = {
            "kind": "RoleBinding",
            "metadata": {"name": rb["name"], "namespace": rb["namespace"]},
            "roleRef": {"apiGroup": RBAC_GROUP, "kind": "Role", "name": rb["role"]},
            "subjects": rb.get("subjects") or [],
        }
        bindings.append(parse_binding(raw))
    return tuple(roles), tuple(bindings)


@cache
def bootstrap_names() -> frozenset[tuple[str, str]]:
    roles, bindings = bootstrap_policy()
    return frozenset({(r.kind, r.name) for r in roles} | {(b.kind, b.name) for b in bindings})


def is_bootstrap_object(resource: Resource) -> bool:
    """An input copy of a default bootstrap object (a cluster capture): never flagged itself."""
    return resource.labels.get(BOOTSTRAP_LABEL) == "rbac-defaults" and (
        (resource.kind, resource.name) in bootstrap_names() or resource.name.startswith("system:")
    )


# --- the graph -------------------------------------------------------------------------------------


class RbacGraph:
    """Roles, bindings and indexes; see the module docstring."""

    def __init__(self, roles: Iterable[RoleView], bindings: Iterable[BindingView]) -> None:
        self.roles: dict[RoleKey, RoleView] = {}
        for role in roles:
            self.roles[role.key] = role  # later (input) replaces earlier (built-in)
        by_key: dict[RoleKey, BindingView] = {}
        for b in bindings:
            by_key[b.key] = b
        self.bindings: list[BindingView] = list(by_key.values())
        self._resolved: dict[RoleKey, tuple[ResolvedRule, ...]] = {}
        self._resolve_all()
        self._by_role: dict[RoleKey, list[int]] = defaultdict(list)
        self._by_subject: dict[str, list[tuple[int, Subject]]] = defaultdict(list)
        self._by_resource_object: dict[int, int] = {}
        for i, b in enumerate(self.bindings):
            self._by_role[b.role_key].append(i)
            if b.resource is not None:
                self._by_resource_object[id(b.resource)] = i
            for subject, _ptr in b.subjects:
                if subject.matchable:
                    self._by_subject[subject.key].append((i, subject))
        self._roles_by_token: dict[str, set[RoleKey]] = defaultdict(set)
        self._url_roles: set[RoleKey] = set()
        for key, rules in self._resolved.items():
            if key not in self._by_role:
                continue  # an unbound role grants nothing
            for rr in rules:
                for token in rr.rule.resources:
                    self._roles_by_token[token].add(key)
                if rr.rule.non_resource_urls:
                    self._url_roles.add(key)

    # construction ----------------------------------------------------------------------------------

    @classmethod
    def build(cls, resources: Iterable[Resource], builtin: bool = True) -> RbacGraph:
        """From input resources (only rbac.authorization.k8s.io objects are used), plus built-ins."""
        roles: list[RoleView] = []
        bindings: list[BindingView] = []
        if builtin:
            b_roles, b_bindings = bootstrap_policy()
            roles.extend(b_roles)
            bindings.extend(b_bindings)
        for r in resources:
            if r.group != RBAC_GROUP:
                continue
            if r.kind in ROLE_KINDS:
                roles.append(parse_role(r.raw, r))
            elif r.kind in BINDING_KINDS:
                bindings.append(parse_binding(r.raw, r))
        return cls(roles, bindings)

    def _resolve_all(self) -> None:
        cluster_roles = sorted(
            (r for r in self.roles.values() if r.kind == "ClusterRole"), key=lambda r: r.name
        )
        visiting: set[RoleKey] = set()

        def resolve(role: RoleView) -> tuple[ResolvedRule, ...]:
            done = self._resolved.get(role.key)
            if done is not None:
                return done
            if role.aggregation is None or role.key in visiting:
                own = tuple(ResolvedRule(rule, role, i) for i, rule in enumerate(role.rules))
                if role.aggregation is None:
                    self._resolved[role.key] = own
                return own
            # The aggregation controller replaces the rules with the union of the selected roles' rules.
            visiting.add(role.key)
            seen: set[PolicyRule] = set()
            out: list[ResolvedRule] = []
            for selector in role.aggregation:
                for other in cluster_roles:
                    if other.name == role.name or not selector.matches(other.labels):
                        continue
                    for rr in resolve(other):
                        if rr.rule not in seen:
                            seen.add(rr.rule)
                            out.append(ResolvedRule(rr.rule, rr.origin, len(out)))
            visiting.discard(role.key)
            result = tuple(out)
            self._resolved[role.key] = result
            return result

        for role in self.roles.values():
            resolve(role)

    # lookups -------------------------------------------------------------------------------------------

    def rules_of(self, role: RoleView) -> tuple[ResolvedRule, ...]:
        return self._resolved.get(role.key, ())

    def role_of(self, binding: BindingView) -> RoleView | None:
        """The role a binding refers to, or ``None`` when it does not exist (or cannot be referenced)."""
        if binding.role_kind == "Role" and binding.cluster_wide:
            return None
        if binding.role_kind not in ROLE_KINDS:
            return None
        return self.roles.get(binding.role_key)

    def binding_for(self, resource: Resource) -> BindingView | None:
        i = self._by_resource_object.get(id(resource))
        return None if i is None else self.bindings[i]

    def bindings_of_role(self, role: RoleView) -> list[BindingView]:
        return [self.bindings[i] for i in self._by_role.get(role.key, ())]

    def bindings_for_subject_key(self, key: str) -> list[tuple[BindingView, Subject]]:
        return [(self.bindings[i], s) for i, s in self._by_subject.get(key, ())]

    def subject_keys(self) -> Iterator[str]:
        return iter(self._by_subject)

    def bindings_for(self, identity: Identity) -> list[tuple[BindingView, Subject]]:
        """Every binding one of whose subjects names ``identity`` (each binding once)."""
        seen: set[int] = set()
        out: list[tuple[BindingView, Subject]] = []
        for key in identity.subject_keys():
            for i, subject in self._by_subject.get(key, ()):
                if i not in seen and identity.applies(subject):
                    seen.add(i)
                    out.append((self.bindings[i], subject))
        return out

    # queries -------------------------------------------------------------------------------------------

    @staticmethod
    def _binding_applies(binding: BindingView, namespace: str) -> bool:
        """ClusterRoleBindings apply everywhere; RoleBindings only to requests in their namespace
        (``*``: any namespace, for who-can across namespaces)."""
        if binding.cluster_wide:
            return True
        return namespace == "*" or (namespace != "" and binding.namespace == namespace)

    def _matching_rule(self, role: RoleView, req: ResourceRequest) -> ResolvedRule | None:
        for rr in self._resolved.get(role.key, ()):
            if rr.rule.allows(req.verb, req.api_group, req.resource, req.subresource, req.name):
                return rr
        return None

    def who_can(self, req: ResourceRequest) -> list[Grant]:
        """Every subject allowed to make ``req``, with the binding, role and rule that allow it."""
        tokens = {"*", req.combined}
        if req.subresource:
            tokens.add(f"*/{req.subresource}")
        candidates: set[RoleKey] = set()
        for t in tokens:
            candidates.update(self._roles_by_token.get(t, ()))
        grants: list[Grant] = []
        for key in candidates:
            role = self.roles[key]
            rr = self._matching_rule(role, req)
            if rr is None:
                continue
            for i in self._by_role[key]:
                b = self.bindings[i]
                if self.role_of(b) is None or not self._binding_applies(b, req.namespace):
                    continue
                grants.extend(Grant(s, b, role, rr) for s, _p in b.subjects if s.matchable)
        return _sorted(grants)

    def who_can_url(self, req: UrlRequest) -> list[Grant]:
        """Every subject allowed a non-resource URL: only ClusterRoleBindings can grant these."""
        grants: list[Grant] = []
        for key in self._url_roles:
            role = self.roles[key]
            rr = next((r for r in self._resolved[key] if r.rule.allows_url(req.verb, req.path)), None)
            if rr is None:
                continue
            for i in self._by_role[key]:
                b = self.bindings[i]
                if b.cluster_wide and self.role_of(b) is not None:
                    grants.extend(Grant(s, b, role, rr) for s, _p in b.subjects if s.matchable)
        return _sorted(grants)

    def can(self, identity: Identity, req: ResourceRequest | UrlRequest) -> list[Grant]:
        """The grants that allow ``identity`` to make ``req`` (empty: denied by RBAC)."""
        grants: list[Grant] = []
        for b, subject in self.bindings_for(identity):
            role = self.role_of(b)
            if role is None:
                continue
            if isinstance(req, UrlRequest):
                if not b.cluster_wide:
                    continue
                rr = next(
                    (r for r in self._resolved[role.key] if r.rule.allows_url(req.verb, req.path)), None
                )
            else:
                if not self._binding_applies(b, req.namespace):
                    continue
                rr = self._matching_rule(role, req)
            if rr is not None:
                grants.append(Grant(subject, b, role, rr))
        return _sorted(grants)

    def permissions(self, identity: Identity) -> Permissions:
        """Effective rules of ``identity``: cluster-wide, and what each namespace adds."""
        cluster: dict[tuple[Any, ...], PermissionEntry] = {}
        per_ns: dict[str, dict[tuple[Any, ...], PermissionEntry]] = defaultdict(dict)
        for b, _subject in self.bindings_for(identity):
            role = self.role_of(b)
            if role is None:
                continue
            target = cluster if b.cluster_wide else per_ns[b.namespace or "default"]
            source = f"{b} -> {role}"
            for rr in self._resolved[role.key]:
                rule = rr.rule
                for group in rule.api_groups:
                    for res in rule.resources:
                        verbs = set(rule.verbs)
                        if not b.cluster_wide and res.partition("/")[0] in CLUSTER_SCOPED_RESOURCES:
                            # no effect through a RoleBinding, except binding ClusterRoles in its namespace
                            if res != "clusterroles" or not verb_matches(verbs, "bind"):
                                continue
                            verbs = {"bind"}
                        rk: tuple[Any, ...] = ("r", group, res, rule.resource_names)
                        e = target.get(rk)
                        if e is None:
                            e = target[rk] = PermissionEntry(group, res, rule.resource_names, None)
                        e.verbs.update(verbs)
                        e.granted_by.add(source)
                if b.cluster_wide:  # RoleBindings never grant non-resource URLs
                    for url in rule.non_resource_urls:
                        uk: tuple[Any, ...] = ("u", url)
                        e = target.get(uk)
                        if e is None:
                            e = target[uk] = PermissionEntry(None, None, (), url)
                        e.verbs.update(rule.verbs)
                        e.granted_by.add(source)

        def ordered(d: dict[tuple[Any, ...], PermissionEntry]) -> list[PermissionEntry]:
            return [d[k] for k in sorted(d, key=lambda k: tuple(str(p) for p in k))]

        return Permissions(identity, ordered(cluster), {ns: ordered(d) for ns, d in per_ns.items()})


def _sorted(grants: list[Grant]) -> list[Grant]:
    return sorted(grants, key=lambda g: (g.subject.key, str(g.binding), str(g.role)))


def rbac_graph(ctx: ScanContext) -> RbacGraph:
    """The scan's RBAC graph; use as ``ctx.cached(rbac_graph)``."""
    resources = [
        r for kind in ("ClusterRole", "Role", "ClusterRoleBinding", "RoleBinding") for r in ctx.of_kind(kind)
    ]
    return RbacGraph.build(resources, builtin=ctx.options.builtin_rbac)
