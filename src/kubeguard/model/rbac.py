"""RBAC objects as typed, read-only views, and the Kubernetes RBAC authorizer's matching rules.

The matching functions follow ``pkg/apis/rbac/v1/evaluation_helpers.go`` and the subject matching of
the RBAC rule resolver exactly:

- a verb, API group or resource ``*`` matches everything (a resource ``*`` also matches every
  subresource); a resource ``*/scale`` matches the subresource ``scale`` of any resource; there is
  no ``pods/*`` wildcard (such an entry matches nothing a client can request: Kubernetes declined
  ``resource/*`` on purpose, kubernetes/kubernetes#78936);
- ``resourceNames`` restrict a rule to requests that name one of them: a request without a name
  (``list``, ``create``, ``deletecollection``) never matches a rule with ``resourceNames``;
- a non-resource URL matches exactly, by ``*``, or by prefix when the rule's URL ends in ``*``;
- a ServiceAccount subject without a namespace takes the binding's namespace (RoleBinding only);
  subject kinds other than User, Group and ServiceAccount match nobody.

Identities carry the groups Kubernetes adds implicitly: ``system:authenticated`` for every
authenticated user, ``system:unauthenticated`` for ``system:anonymous``, and
``system:serviceaccounts`` plus ``system:serviceaccounts:<namespace>`` for service accounts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kubeguard.model.pointer import ROOT, Pointer

if TYPE_CHECKING:
    from kubeguard.model.resource import Resource

RBAC_GROUP = "rbac.authorization.k8s.io"
ROLE_KINDS = frozenset({"Role", "ClusterRole"})
BINDING_KINDS = frozenset({"RoleBinding", "ClusterRoleBinding"})
RBAC_KINDS = ROLE_KINDS | BINDING_KINDS
ALL = "*"

SA_USER_PREFIX = "system:serviceaccount:"
ALL_SERVICE_ACCOUNTS = "system:serviceaccounts"
SA_GROUP_PREFIX = "system:serviceaccounts:"
AUTHENTICATED = "system:authenticated"
UNAUTHENTICATED = "system:unauthenticated"
ANONYMOUS = "system:anonymous"
MASTERS = "system:masters"

#: Subjects that every request, or every authenticated request, carries.
PUBLIC_SUBJECTS = frozenset({ANONYMOUS, UNAUTHENTICATED, AUTHENTICATED})


def _strings(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    if all(type(v) is str for v in value):
        return tuple(value)
    return tuple(str(v) for v in value if isinstance(v, str | int) and not isinstance(v, bool))


# --- matching (the authorizer's exact semantics) -------------------------------------------------


def verb_matches(verbs: Iterable[str], verb: str) -> bool:
    return any(v in (ALL, verb) for v in verbs)


def api_group_matches(groups: Iterable[str], group: str) -> bool:
    return any(g in (ALL, group) for g in groups)


def resource_matches(resources: Iterable[str], resource: str, subresource: str = "") -> bool:
    combined = f"{resource}/{subresource}" if subresource else resource
    for r in resources:
        if r in (ALL, combined):
            return True
        if subresource and len(r) == len(subresource) + 2 and r.startswith("*/") and r.endswith(subresource):
            return True
    return False


def resource_name_matches(names: tuple[str, ...], name: str) -> bool:
    return not names or name in names


def non_resource_url_matches(urls: Iterable[str], path: str) -> bool:
    for u in urls:
        if u in (ALL, path):
            return True
        if u.endswith("*") and path.startswith(u.rstrip("*")):
            return True
    return False


@dataclass(frozen=True, slots=True)
class PolicyRule:
    """One entry of a role's ``rules``; ``pointer`` is where it sits in its object (ROOT if built in)."""

    verbs: tuple[str, ...] = ()
    api_groups: tuple[str, ...] = ()
    resources: tuple[str, ...] = ()
    resource_names: tuple[str, ...] = ()
    non_resource_urls: tuple[str, ...] = ()
    pointer: Pointer = field(default=ROOT, compare=False)

    @classmethod
    def parse(cls, raw: Any, pointer: Pointer = ROOT) -> PolicyRule:
        d = raw if isinstance(raw, dict) else {}
        return cls(
            verbs=_strings(d.get("verbs")),
            api_groups=_strings(d.get("apiGroups")),
            resources=_strings(d.get("resources")),
            resource_names=_strings(d.get("resourceNames")),
            non_resource_urls=_strings(d.get("nonResourceURLs")),
            pointer=pointer,
        )

    def allows(self, verb: str, group: str, resource: str, subresource: str = "", name: str = "") -> bool:
        """Whether this rule allows a resource request (``name`` empty: a request without a name)."""
        return (
            verb_matches(self.verbs, verb)
            and api_group_matches(self.api_groups, group)
            and resource_matches(self.resources, resource, subresource)
            and resource_name_matches(self.resource_names, name)
        )

    def allows_url(self, verb: str, path: str) -> bool:
        """Whether this rule allows a non-resource request (``/healthz``, ``/metrics`` ...)."""
        return verb_matches(self.verbs, verb) and non_resource_url_matches(self.non_resource_urls, path)

    @property
    def is_full_wildcard(self) -> bool:
        """``*`` verbs on ``*`` resources of ``*`` API groups, for every name: cluster-admin power."""
        return (
            ALL in self.verbs and ALL in self.api_groups and ALL in self.resources and not self.resource_names
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.api_groups or self.resources:
            out["apiGroups"] = list(self.api_groups)
            out["resources"] = list(self.resources)
        if self.resource_names:
            out["resourceNames"] = list(self.resource_names)
        if self.non_resource_urls:
            out["nonResourceURLs"] = list(self.non_resource_urls)
        out["verbs"] = list(self.verbs)
        return out

    def __str__(self) -> str:
        parts = []
        if self.non_resource_urls and not self.resources:
            parts.append(f"nonResourceURLs {list(self.non_resource_urls)}")
        else:
            groups = ["core" if g == "" else g for g in self.api_groups]
            parts.append(f"apiGroups {groups}, resources {list(self.resources)}")
            if self.resource_names:
                parts.append(f"resourceNames {list(self.resource_names)}")
        return f"verbs {list(self.verbs)} on " + ", ".join(parts)


# --- label selectors (for aggregationRule) --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LabelSelector:
    """A ``metav1.LabelSelector``: every matchLabels pair and every matchExpressions term must hold."""

    match_labels: tuple[tuple[str, str], ...] = ()
    match_expressions: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    valid: bool = True

    @classmethod
    def parse(cls, raw: Any) -> LabelSelector:
        if not isinstance(raw, dict):
            return cls(valid=False)  # a null selector selects nothing
        labels = raw.get("matchLabels") or {}
        exprs = raw.get("matchExpressions") or []
        if not isinstance(labels, dict) or not isinstance(exprs, list):
            return cls(valid=False)
        parsed: list[tuple[str, str, tuple[str, ...]]] = []
        for e in exprs:
            if not isinstance(e, dict) or not isinstance(e.get("key"), str):
                return cls(valid=False)
            op = str(e.get("operator", ""))
            values = _strings(e.get("values"))
            if op not in ("In", "NotIn", "Exists", "DoesNotExist"):
                return cls(valid=False)
            parsed.append((e["key"], op, values))
        return cls(tuple((str(k), str(v)) for k, v in labels.items()), tuple(parsed))

    def matches(self, labels: Mapping[str, str]) -> bool:
        if not self.valid:
            return False
        for k, v in self.match_labels:
            if labels.get(k) != v:
                return False
        for key, op, values in self.match_expressions:
            present = key in labels
            if op == "In" and not (present and labels[key] in values):
                return False
            if op == "NotIn" and present and labels[key] in values:
                return False
            if op == "Exists" and not present:
                return False
            if op == "DoesNotExist" and present:
                return False
        return True


# --- roles, bindings, subjects ---------------------------------------------------------------------

RoleKey = tuple[str, str | None, str]  # (kind, namespace or None, name)


@dataclass(frozen=True, slots=True)
class RoleView:
    """A Role or ClusterRole: its declared rules and, for ClusterRoles, its aggregation selectors."""

    kind: str
    namespace: str | None
    name: str
    rules: tuple[PolicyRule, ...]
    labels: Mapping[str, str]
    aggregation: tuple[LabelSelector, ...] | None = None
    resource: Resource | None = field(default=None, compare=False)

    @property
    def key(self) -> RoleKey:
        return (self.kind, self.namespace, self.name)

    @property
    def builtin(self) -> bool:
        return self.resource is None

    def __str__(self) -> str:
        return f"{self.kind} {self.namespace}/{self.name}" if self.namespace else f"{self.kind} {self.name}"


@dataclass(frozen=True, slots=True)
class Subject:
    """A binding subject. ServiceAccount namespaces are already defaulted to the binding's namespace."""

    kind: str
    name: str
    namespace: str = ""

    @property
    def key(self) -> str:
        """``user:NAME``, ``group:NAME``, ``sa:NS/NAME`` (other kinds: ``other:KIND:NAME``)."""
        if self.kind == "User":
            return f"user:{self.name}"
        if self.kind == "Group":
            return f"group:{self.name}"
        if self.kind == "ServiceAccount":
            return f"sa:{self.namespace}/{self.name}"
        return f"other:{self.kind}:{self.name}"

    @property
    def is_system(self) -> bool:
        """Users and groups named ``system:...`` are Kubernetes' own identities."""
        return self.kind in ("User", "Group") and self.name.startswith("system:")

    @property
    def matchable(self) -> bool:
        return self.kind in ("User", "Group") or (self.kind == "ServiceAccount" and bool(self.namespace))

    def __str__(self) -> str:
        if self.kind == "ServiceAccount":
            return f"ServiceAccount {self.namespace or '?'}/{self.name}"
        return f"{self.kind} {self.name}"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "name": self.name}
        if self.kind == "ServiceAccount":
            out["namespace"] = self.namespace
        return out


@dataclass(frozen=True, slots=True)
class BindingView:
    """A RoleBinding or ClusterRoleBinding: role reference, subjects (with their pointers)."""

    kind: str
    namespace: str | None
    name: str
    role_kind: str
    role_name: str
    subjects: tuple[tuple[Subject, Pointer], ...]
    resource: Resource | None = field(default=None, compare=False)

    @property
    def key(self) -> RoleKey:
        return (self.kind, self.namespace, self.name)

    @property
    def role_key(self) -> RoleKey:
        """Which role the authorizer looks up: a Role in the binding's namespace, or a ClusterRole."""
        if self.role_kind == "Role":
            return ("Role", self.namespace, self.role_name)
        return (self.role_kind, None, self.role_name)

    @property
    def cluster_wide(self) -> bool:
        return self.kind == "ClusterRoleBinding"

    @property
    def builtin(self) -> bool:
        return self.resource is None

    @property
    def role_label(self) -> str:
        return (
            f"{self.role_kind} {self.namespace}/{self.role_name}"
            if self.role_kind == "Role"
            else (f"{self.role_kind} {self.role_name}")
        )

    def __str__(self) -> str:
        return f"{self.kind} {self.namespace}/{self.name}" if self.namespace else f"{self.kind} {self.name}"


def _metadata(raw: Mapping[str, Any]) -> Mapping[str, Any]:
    md = raw.get("metadata")
    return md if isinstance(md, dict) else {}


def parse_role(raw: Mapping[str, Any], resource: Resource | None = None) -> RoleView:
    """A Role/ClusterRole view of a decoded object (``resource`` is ``None`` for built-ins)."""
    kind = str(raw.get("kind") or "")
    md = _metadata(raw)
    namespace = None if kind == "ClusterRole" else str(md.get("namespace") or "default")
    labels = md.get("labels")
    rules_raw = raw.get("rules")
    rules = tuple(
        PolicyRule.parse(r, Pointer(("rules", i)))
        for i, r in enumerate(rules_raw if isinstance(rules_raw, list) else [])
    )
    aggregation: tuple[LabelSelector, ...] | None = None
    agg = raw.get("aggregationRule")
    if kind == "ClusterRole" and isinstance(agg, dict):
        sels = agg.get("clusterRoleSelectors")
        aggregation = tuple(LabelSelector.parse(s) for s in (sels if isinstance(sels, list) else []))
    return RoleView(
        kind=kind,
        namespace=namespace,
        name=str(md.get("name") or ""),
        rules=rules,
        labels={str(k): str(v) for k, v in labels.items()} if isinstance(labels, dict) else {},
        aggregation=aggregation,
        resource=resource,
    )


def parse_binding(raw: Mapping[str, Any], resource: Resource | None = None) -> BindingView:
    """A RoleBinding/ClusterRoleBinding view; ServiceAccount subjects get their namespace defaulted."""
    kind = str(raw.get("kind") or "")
    md = _metadata(raw)
    namespace = None if kind == "ClusterRoleBinding" else str(md.get("namespace") or "default")
    ref = raw.get("roleRef") if isinstance(raw.get("roleRef"), dict) else {}
    assert isinstance(ref, dict)
    subjects: list[tuple[Subject, Pointer]] = []
    raw_subjects = raw.get("subjects")
    for i, s in enumerate(raw_subjects if isinstance(raw_subjects, list) else []):
        if not isinstance(s, dict):
            continue
        skind = str(s.get("kind") or "")
        sns = str(s.get("namespace") or "")
        if skind == "ServiceAccount" and not sns and namespace:
            sns = namespace
        subjects.append(
            (
                Subject(skind, str(s.get("name") or ""), sns if skind == "ServiceAccount" else ""),
                Pointer(("subjects", i)),
            )
        )
    return BindingView(
        kind=kind,
        namespace=namespace,
        name=str(md.get("name") or ""),
        role_kind=str(ref.get("kind") or ""),
        role_name=str(ref.get("name") or ""),
        subjects=tuple(subjects),
        resource=resource,
    )


def is_rbac(resource: Resource) -> bool:
    return resource.kind in RBAC_KINDS and resource.group == RBAC_GROUP


# --- identities ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Identity:
    """Who makes a request: a user name (``None`` for "some member of a group") and its groups."""

    user: str | None
    groups: frozenset[str]
    label: str

    @classmethod
    def user_named(cls, name: str, groups: Iterable[str] = ()) -> Identity:
        implicit = UNAUTHENTICATED if name == ANONYMOUS else AUTHENTICATED
        if name.startswith(SA_USER_PREFIX):
            ns, _, sa = name[len(SA_USER_PREFIX) :].partition(":")
            if ns and sa:
                return cls.service_account(ns, sa, groups)
        return cls(name, frozenset({implicit, *groups}), f"user:{name}")

    @classmethod
    def service_account(cls, namespace: str, name: str, groups: Iterable[str] = ()) -> Identity:
        return cls(
            f"{SA_USER_PREFIX}{namespace}:{name}",
            frozenset({ALL_SERVICE_ACCOUNTS, f"{SA_GROUP_PREFIX}{namespace}", AUTHENTICATED, *groups}),
            f"sa:{namespace}/{name}",
        )

    @classmethod
    def group_member(cls, group: str, groups: Iterable[str] = ()) -> Identity:
        """Any member of ``group``: it has the group, and ``system:authenticated`` unless the group is
        ``system:unauthenticated``."""
        implicit = () if group == UNAUTHENTICATED else (AUTHENTICATED,)
        return cls(None, frozenset({group, *implicit, *groups}), f"group:{group}")

    def applies(self, subject: Subject) -> bool:
        """Whether a binding subject (namespace already defaulted) names this identity."""
        if subject.kind == "User":
            return self.user is not None and self.user == subject.name
        if subject.kind == "Group":
            return subject.name in self.groups
        if subject.kind == "ServiceAccount":
            return (
                bool(subject.namespace) and self.user == f"{SA_USER_PREFIX}{subject.namespace}:{subject.name}"
            )
        return False

    def subject_keys(self) -> list[str]:
        """Keys (as :attr:`Subject.key`) of every binding subject that names this identity."""
        keys = [f"group:{g}" for g in sorted(self.groups)]
        if self.user is not None:
            if self.user.startswith(SA_USER_PREFIX):
                ns, _, name = self.user[len(SA_USER_PREFIX) :].partition(":")
                keys.append(f"sa:{ns}/{name}")
            keys.append(f"user:{self.user}")
        return keys


def parse_subject_spec(text: str) -> Identity:
    """``user:NAME``, ``group:NAME``, ``sa:NAMESPACE/NAME`` or a service account's user name as kubectl's
    ``--as`` takes it, ``system:serviceaccount:NAMESPACE:NAME``; ``ValueError`` with the reason otherwise."""
    if text.startswith(SA_USER_PREFIX):
        ns, colon, name = text[len(SA_USER_PREFIX) :].partition(":")
        if not colon or not ns or not name or ":" in name:
            raise ValueError(f"service account {text!r} must be {SA_USER_PREFIX}NAMESPACE:NAME")
        return Identity.service_account(ns, name)
    kind, sep, rest = text.partition(":")
    kind = kind.strip().lower()
    if not sep or not rest:
        raise ValueError(f"subject {text!r} must be user:NAME, group:NAME or sa:NAMESPACE/NAME")
    if kind == "user":
        return Identity.user_named(rest)
    if kind == "group":
        return Identity.group_member(rest)
    if kind in ("sa", "serviceaccount"):
        ns, slash, name = rest.partition("/")
        if not slash or not ns or not name or "/" in name:
            raise ValueError(f"service account {text!r} must be sa:NAMESPACE/NAME")
        return Identity.service_account(ns, name)
    raise ValueError(f"subject kind {kind!r} in {text!r} is not user, group or sa")
