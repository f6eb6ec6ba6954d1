"""Privilege-escalation paths to cluster-admin-equivalent power, found on the RBAC graph.

Nodes are identities (``user:NAME``, ``group:NAME``, ``sa:NS/NAME``), "any service account of
namespace N" pools, and the target ``cluster-admin``. An edge is one step an identity can take with
permissions it holds, naming them and the bindings and roles that grant them:

- ``*`` verbs on ``*`` resources of ``*`` API groups through a ClusterRoleBinding: already there;
- create pods or pod controllers, or patch/update pod controllers (not Jobs, whose pod template is
  immutable), in a namespace: run a pod as any service account of that namespace (every namespace
  when granted cluster-wide);
- ``create serviceaccounts/token``, exec into pods, or ``patch``/``update`` pods (a running pod's
  image may be changed) in a namespace: obtain the token of (or run code as) a service account there;
- ``get``/``list secrets``: read a service account token Secret (``kubernetes.io/service-account-token``).
  Kubernetes created one for every service account before v1.24 (``LegacyServiceAccountTokenNoAutoGeneration``):
  for an older target version the step reaches every service account of the namespace. From v1.24 on
  only token Secrets that someone creates exist: the step reaches the service accounts whose token
  Secrets are in the input (``resourceNames`` respected), and nothing else;
- ``impersonate`` users, groups or service accounts: act as them (any group: ``system:masters``);
- ``bind`` (or ``escalate`` and update) roles together with creating bindings: grant oneself
  ``cluster-admin`` (cluster-wide) or ``admin`` in a namespace;
- ``nodes/proxy``: the kubelet API runs commands in every pod of the node: every service account;
- approve CSRs (``update certificatesigningrequests/approval``, ``approve`` on the
  ``kubernetes.io/kube-apiserver-client`` signer) and create them: mint a ``system:masters`` cert.

Membership of ``system:masters`` is cluster-admin: the API server authorizes it before RBAC.
Distances are computed once, backwards from ``cluster-admin`` (a 0-1 BFS: entering a pool costs a
step, picking a service account from it does not), so every identity's shortest path is known.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from kubeguard.analyzers.rbac.graph import Grant, RbacGraph, ResolvedRule, rbac_graph
from kubeguard.model.rbac import MASTERS, SA_USER_PREFIX, Identity, PolicyRule, RoleKey, Subject
from kubeguard.model.resource import Resource
from kubeguard.model.versions import LATEST, KubeVersion
from kubeguard.rules.context import ScanContext

ADMIN = "cluster-admin"
#: The first minor version that no longer creates a token Secret for every service account.
NO_AUTO_TOKEN_SECRETS_MINOR = 24
TOKEN_SECRET_TYPE = "kubernetes.io/service-account-token"
SA_NAME_ANNOTATION = "kubernetes.io/service-account.name"
ANY_SA = "pool:*"
ANY_USER = "pool:users"

_WORKLOADS_CREATE = (
    ("", "pods"),
    ("", "replicationcontrollers"),
    ("apps", "deployments"),
    ("apps", "replicasets"),
    ("apps", "statefulsets"),
    ("apps", "daemonsets"),
    ("batch", "jobs"),
    ("batch", "cronjobs"),
    ("extensions", "deployments"),
    ("extensions", "replicasets"),
    ("extensions", "daemonsets"),
)
# A Job's pod template is immutable (only scheduling directives of a suspended Job may change):
# patching a Job cannot make it run other code or as another service account; a CronJob's can.
_WORKLOADS_CHANGE = tuple(w for w in _WORKLOADS_CREATE if w[1] not in ("pods", "jobs"))
_RBAC = "rbac.authorization.k8s.io"
_CERTS = "certificates.k8s.io"
_CLIENT_SIGNER = "kubernetes.io/kube-apiserver-client"
_ADMIN_ROLES = ("cluster-admin", "admin", "edit")

_INTERESTING = frozenset(
    {r for _g, r in _WORKLOADS_CREATE}
    | {
        "pods/exec",
        "serviceaccounts/token",
        "secrets",
        "users",
        "groups",
        "serviceaccounts",
        "clusterroles",
        "roles",
        "clusterrolebindings",
        "rolebindings",
        "nodes/proxy",
        "certificatesigningrequests",
        "certificatesigningrequests/approval",
        "signers",
    }
)


def _names(rule: PolicyRule) -> tuple[str, ...] | None:
    return rule.resource_names or None


def classify(rule: PolicyRule) -> list[tuple[str, tuple[str, ...] | None]]:
    """The escalation capabilities one rule gives, each with the names it is restricted to."""
    if not any(r == "*" or r.startswith("*/") or r in _INTERESTING for r in rule.resources):
        return []
    out: list[tuple[str, tuple[str, ...] | None]] = []
    a = rule.allows
    names = _names(rule)
    if rule.is_full_wildcard:
        out.append(("admin", None))
    if any(a("create", g, r) for g, r in _WORKLOADS_CREATE) or any(
        a(v, g, r) for g, r in _WORKLOADS_CHANGE for v in ("patch", "update")
    ):
        out.append(("workload", None))
    if a("create", "", "pods", "exec") or a("get", "", "pods", "exec"):
        out.append(("exec", None))
    if a("patch", "", "pods") or a("update", "", "pods"):
        # A running pod's container images may be changed: the new image runs as the pod's
        # service account.
        out.append(("podpatch", None))
    if verb_group_resource(rule, "get", "", "secrets", "") or verb_group_resource(
        rule, "list", "", "secrets", ""
    ):
        out.append(("secrets", names))
    for cap, verb, group, res, sub in (
        ("token", "create", "", "serviceaccounts", "token"),
        ("imp_sa", "impersonate", "", "serviceaccounts", ""),
        ("imp_users", "impersonate", "", "users", ""),
        ("imp_groups", "impersonate", "", "groups", ""),
        ("bind", "bind", _RBAC, "clusterroles", ""),
        ("bind", "bind", _RBAC, "roles", ""),
        ("escalate_cr", "escalate", _RBAC, "clusterroles", ""),
        ("escalate", "escalate", _RBAC, "roles", ""),
    ):
        if verb_group_resource(rule, verb, group, res, sub):
            out.append((cap, names))
    for cap, verbs, res in (
        ("write_cr", ("update", "patch"), "clusterroles"),
        ("write_role", ("update", "patch"), "roles"),
        ("create_crb", ("create",), "clusterrolebindings"),
        ("create_rb", ("create",), "rolebindings"),
    ):
        if any(a(v, _RBAC, res) for v in verbs):
            out.append((cap, None))
    if any(a(v, "", "nodes", "proxy") for v in ("get", "create")):
        out.append(("nodes_proxy", None))
    if a("update", _CERTS, "certificatesigningrequests", "approval") or a(
        "patch", _CERTS, "certificatesigningrequests", "approval"
    ):
        out.append(("csr_approve", None))
    if a("approve", _CERTS, "signers", "", _CLIENT_SIGNER) or a(
        "approve", _CERTS, "signers", "", "kubernetes.io/*"
    ):
        out.append(("signer_approve", None))
    if a("create", _CERTS, "certificatesigningrequests"):
        out.append(("csr_create", None))
    return out


def verb_group_resource(rule: PolicyRule, verb: str, group: str, res: str, sub: str) -> bool:
    """Like :meth:`PolicyRule.allows` for some name (resourceNames are kept by the caller)."""
    if rule.resource_names:
        return any(rule.allows(verb, group, res, sub, n) for n in rule.resource_names)
    return rule.allows(verb, group, res, sub)


@dataclass(frozen=True, slots=True)
class Fact:
    cap: str
    names: tuple[str, ...] | None
    scope: str | None  # None: cluster-wide
    grant: Grant


def _uniq(grants: tuple[Grant, ...]) -> tuple[Grant, ...]:
    if len(grants) < 2:
        return grants
    seen: set[tuple[Any, ...]] = set()
    out: list[Grant] = []
    for g in grants:
        k = (g.subject.key, g.binding.key, g.role.key, g.rule.index)
        if k not in seen:
            seen.add(k)
            out.append(g)
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Edge:
    src: str
    dst: str
    action: str
    grants: tuple[Grant, ...]
    weight: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "grants", _uniq(self.grants))


@dataclass(frozen=True, slots=True)
class Step:
    """One hop: ``actor`` uses ``action`` (granted by ``grants``) and ``becomes`` another identity."""

    actor: str
    action: str
    becomes: str
    grants: tuple[Grant, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "actor": self.actor,
            "action": self.action,
            "becomes": self.becomes,
            "grantedBy": [g.to_dict() for g in self.grants],
        }

    def __str__(self) -> str:
        via = "; ".join(f"{g.binding} -> {g.role}" for g in self.grants)
        return f"{self.actor} {self.action} => {self.becomes}" + (f" [{via}]" if via else "")


@dataclass(frozen=True, slots=True)
class Path:
    subject: str
    steps: tuple[Step, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "length": len(self.steps),
            "steps": [s.to_dict() for s in self.steps],
        }

    @property
    def direct(self) -> bool:
        """The subject already holds cluster-admin-equivalent power."""
        return len(self.steps) == 1 and self.steps[0].action.startswith("holds")


def _where(scope: str | None) -> str:
    return "in every namespace" if scope is None else f"in namespace {scope}"


@dataclass(frozen=True, slots=True)
class TokenSecret:
    """A ``kubernetes.io/service-account-token`` Secret: whoever reads it holds the account's token."""

    namespace: str
    name: str
    service_account: str


class EscalationGraph:
    """See the module docstring. ``service_accounts`` adds known accounts (``(namespace, name)``);
    ``token_secrets`` are the token Secrets of the input; ``k8s`` is the target version, which decides
    whether every service account has a token Secret (before v1.24)."""

    def __init__(
        self,
        rbac: RbacGraph,
        service_accounts: Iterable[tuple[str, str]] = (),
        *,
        token_secrets: Iterable[TokenSecret] = (),
        k8s: KubeVersion = LATEST,
    ) -> None:
        self.rbac = rbac
        self.legacy_token_secrets = k8s.minor is not None and k8s.minor < NO_AUTO_TOKEN_SECRETS_MINOR
        self._token_secrets: dict[str, list[TokenSecret]] = defaultdict(list)
        for t in token_secrets:
            self._token_secrets[t.namespace].append(t)
        self._role_caps: dict[RoleKey, list[tuple[str, tuple[str, ...] | None, ResolvedRule]]] = {}
        self._principal: dict[str, list[Fact]] = {}
        sas: set[tuple[str, str]] = set(service_accounts)
        sas.update((t.namespace, t.service_account) for ts in self._token_secrets.values() for t in ts)
        users: set[str] = set()
        groups: set[str] = {MASTERS}
        namespaces: set[str] = {ns for ns, _ in sas}
        #: Identities the input names (its bindings' subjects and ServiceAccount objects); the others
        #: come only from Kubernetes' built-in bindings.
        self.input_identities: set[str] = {f"sa:{ns}/{name}" for ns, name in sas}
        for b in rbac.bindings:
            if b.namespace:
                namespaces.add(b.namespace)
            if not b.builtin:
                self.input_identities.update(
                    Identity.user_named(s.name).label if s.kind == "User" else s.key for s, _p in b.subjects
                )
            for s, _p in b.subjects:
                if s.kind == "ServiceAccount" and s.namespace:
                    sas.add((s.namespace, s.name))
                    namespaces.add(s.namespace)
                elif s.kind == "User" and s.name.startswith(SA_USER_PREFIX):
                    ns, _, name = s.name[len(SA_USER_PREFIX) :].partition(":")
                    if ns and name:
                        sas.add((ns, name))
                        namespaces.add(ns)
                elif s.kind == "User":
                    users.add(s.name)
                elif s.kind == "Group":
                    groups.add(s.name)
        sas.update((ns, "default") for ns in namespaces)
        self.identities: dict[str, Identity] = {}
        for ns, name in sas:
            i = Identity.service_account(ns, name)
            self.identities[i.label] = i
        for u in users:
            i = Identity.user_named(u)
            self.identities.setdefault(i.label, i)
        for g in groups:
            i = Identity.group_member(g)
            self.identities[i.label] = i
        self._sa_by_ns: dict[str, list[str]] = defaultdict(list)
        self._sa_by_name: dict[str, list[str]] = defaultdict(list)
        for ns, name in sorted(sas):
            self._sa_by_ns[ns].append(f"sa:{ns}/{name}")
            self._sa_by_name[name].append(f"sa:{ns}/{name}")
        self._users = sorted(users)
        self.edges: dict[str, list[Edge]] = defaultdict(list)
        for label in sorted(self.identities):
            self._add_edges(label, self.identities[label])
        for u in self._users:
            self.edges[ANY_USER].append(Edge(ANY_USER, f"user:{u}", f"as user {u}", (), 0))
        for ns, labels in self._sa_by_ns.items():
            for sa in labels:
                self.edges[f"pool:{ns}"].append(Edge(f"pool:{ns}", sa, f"as ServiceAccount {sa[3:]}", (), 0))
                self.edges[ANY_SA].append(Edge(ANY_SA, sa, f"as ServiceAccount {sa[3:]}", (), 0))
        self.dist, self.next = self._distances()

    # facts -----------------------------------------------------------------------------------------

    def _caps_of_role(self, key: RoleKey) -> list[tuple[str, tuple[str, ...] | None, ResolvedRule]]:
        caps = self._role_caps.get(key)
        if caps is None:
            role = self.rbac.roles[key]
            caps = [(cap, names, rr) for rr in self.rbac.rules_of(role) for cap, names in classify(rr.rule)]
            self._role_caps[key] = caps
        return caps

    def _facts_of_key(self, subject_key: str) -> list[Fact]:
        facts = self._principal.get(subject_key)
        if facts is None:
            facts = []
            for b, subject in self.rbac.bindings_for_subject_key(subject_key):
                role = self.rbac.role_of(b)
                if role is None:
                    continue
                scope = None if b.cluster_wide else b.namespace
                for cap, names, rr in self._caps_of_role(role.key):
                    facts.append(Fact(cap, names, scope, Grant(subject, b, role, rr)))
            self._principal[subject_key] = facts
        return facts

    def facts(self, identity: Identity) -> list[Fact]:
        out: list[Fact] = []
        for key in identity.subject_keys():
            out.extend(f for f in self._facts_of_key(key) if identity.applies(f.grant.subject))
        return out

    # edges -----------------------------------------------------------------------------------------

    def _add_edges(self, label: str, identity: Identity) -> None:
        edges = self.edges[label]
        seen: set[tuple[str, str]] = set()

        def add(edge: Edge) -> None:
            # one edge per target and action: the first grant found is the one a path names
            key = (edge.dst, edge.action)
            if key not in seen:
                seen.add(key)
                edges.append(edge)

        if label == f"group:{MASTERS}":
            add(
                Edge(
                    label,
                    ADMIN,
                    f"holds all permissions as a member of {MASTERS} (authorized before RBAC)",
                    (),
                )
            )
        by_cap: dict[str, list[Fact]] = defaultdict(list)
        for f in self.facts(identity):
            by_cap[f.cap].append(f)

        def pool(scope: str | None) -> str:
            return ANY_SA if scope is None else f"pool:{scope}"

        def sa_targets(f: Fact) -> list[str]:
            if f.names is None:
                return [pool(f.scope)]
            found = [sa for n in f.names for sa in self._sa_by_name.get(n, ())]
            return [sa for sa in found if f.scope is None or sa.startswith(f"sa:{f.scope}/")]

        for f in by_cap.get("admin", ()):
            if f.scope is None:
                add(Edge(label, ADMIN, "holds * on *.* cluster-wide", (f.grant,)))
        for cap, text in (
            ("workload", "creates or changes pods/workloads"),
            ("exec", "execs into pods"),
            ("podpatch", "changes the image of running pods"),
        ):
            for f in by_cap.get(cap, ()):
                add(Edge(label, pool(f.scope), f"{text} {_where(f.scope)}", (f.grant,)))
        for f in by_cap.get("secrets", ()):
            if self.legacy_token_secrets and f.names is None:
                text = "reads the token Secrets Kubernetes before v1.24 creates for every service account"
                add(Edge(label, pool(f.scope), f"{text} {_where(f.scope)}", (f.grant,)))
            for secret in self._readable_token_secrets(f):
                add(
                    Edge(
                        label,
                        f"sa:{secret.namespace}/{secret.service_account}",
                        f"reads token Secret {secret.namespace}/{secret.name} of ServiceAccount "
                        f"{secret.service_account}",
                        (f.grant,),
                    )
                )
        for cap, text in (
            ("token", "creates serviceaccounts/token"),
            ("imp_sa", "impersonates serviceaccounts"),
        ):
            for f in by_cap.get(cap, ()):
                for t in sa_targets(f):
                    add(Edge(label, t, f"{text} {_where(f.scope)}", (f.grant,)))
        for f in by_cap.get("imp_users", ()):
            if f.scope is not None:
                continue  # users are cluster-scoped: only a ClusterRoleBinding grants this
            if f.names is None:
                add(
                    Edge(
                        label,
                        ANY_SA,
                        "impersonates any user (service account user names included)",
                        (f.grant,),
                    )
                )
                add(Edge(label, ANY_USER, "impersonates any user", (f.grant,)))
            else:
                for n in f.names:
                    target = Identity.user_named(n).label
                    if target in self.identities:
                        add(Edge(label, target, f"impersonates user {n}", (f.grant,)))
        for f in by_cap.get("imp_groups", ()):
            if f.scope is not None:
                continue
            targets = (
                [MASTERS] if f.names is None else [n for n in f.names if f"group:{n}" in self.identities]
            )
            for g in targets:
                add(Edge(label, f"group:{g}", f"impersonates group {g}", (f.grant,)))
        self._combined_edges(label, by_cap, add)

    def _readable_token_secrets(self, f: Fact) -> list[TokenSecret]:
        """The input's token Secrets that a ``get``/``list secrets`` fact can read."""
        spaces = self._token_secrets.keys() if f.scope is None else (f.scope,)
        return [
            t
            for ns in sorted(spaces)
            for t in self._token_secrets.get(ns, ())
            if f.names is None or t.name in f.names
        ]

    def _combined_edges(self, label: str, by_cap: dict[str, list[Fact]], add: Callable[[Edge], None]) -> None:
        def cluster(cap: str) -> Fact | None:
            return next((f for f in by_cap.get(cap, ()) if f.scope is None), None)

        def for_scope(cap: str, scope: str | None, ok: Any = None) -> Fact | None:
            return next(
                (
                    f
                    for f in by_cap.get(cap, ())
                    if (f.scope is None or f.scope == scope) and (ok is None or ok(f))
                ),
                None,
            )

        def binds_admin(f: Fact) -> bool:
            return f.names is None or any(n in _ADMIN_ROLES for n in f.names)

        # bind cluster-admin with a new ClusterRoleBinding
        bind = next(
            (f for f in by_cap.get("bind", ()) if f.scope is None and (f.names is None or ADMIN in f.names)),
            None,
        )
        crb = cluster("create_crb")
        if bind and crb:
            add(
                Edge(
                    label,
                    ADMIN,
                    "binds ClusterRole cluster-admin to itself (bind + create clusterrolebindings)",
                    (bind.grant, crb.grant),
                )
            )
        esc, write = cluster("escalate_cr"), cluster("write_cr")
        if esc and write:
            add(
                Edge(
                    label,
                    ADMIN,
                    "adds any permission to a ClusterRole (escalate + update clusterroles)",
                    (esc.grant, write.grant),
                )
            )
        # namespace admin through a RoleBinding: then create pods there
        scopes = {f.scope for cap in ("create_rb", "write_role") for f in by_cap.get(cap, ())}
        for scope in sorted(scopes, key=lambda s: s or ""):
            rb = for_scope("create_rb", scope)
            b = for_scope("bind", scope, binds_admin)
            target = ANY_SA if scope is None else f"pool:{scope}"
            if rb and b:
                add(
                    Edge(
                        label,
                        target,
                        f"binds an admin role to itself {_where(scope)} (bind + create rolebindings)",
                        (b.grant, rb.grant),
                    )
                )
            wr = for_scope("write_role", scope)
            e = for_scope("escalate", scope)
            if wr and e:
                add(
                    Edge(
                        label,
                        target,
                        f"adds any permission to a Role {_where(scope)} (escalate + update roles)",
                        (e.grant, wr.grant),
                    )
                )
        np = cluster("nodes_proxy")
        if np:
            add(
                Edge(
                    label,
                    ANY_SA,
                    "runs commands in any pod through the kubelet API (nodes/proxy)",
                    (np.grant,),
                )
            )
        ap, sg, cr = cluster("csr_approve"), cluster("signer_approve"), cluster("csr_create")
        if ap and sg and cr:
            add(
                Edge(
                    label,
                    f"group:{MASTERS}",
                    "creates and approves a client CSR for group system:masters (certificatesigningrequests)",
                    (cr.grant, ap.grant, sg.grant),
                )
            )

    # distances -------------------------------------------------------------------------------------

    def _distances(self) -> tuple[dict[str, int], dict[str, Edge]]:
        reverse: dict[str, list[Edge]] = defaultdict(list)
        for edges in self.edges.values():
            for e in edges:
                reverse[e.dst].append(e)
        dist: dict[str, int] = {ADMIN: 0}
        nxt: dict[str, Edge] = {}
        queue: deque[str] = deque([ADMIN])
        while queue:
            node = queue.popleft()
            d = dist[node]
            for e in reverse.get(node, ()):
                nd = d + e.weight
                if nd < dist.get(e.src, 1 << 30):
                    dist[e.src] = nd
                    nxt[e.src] = e
                    if e.weight == 0:
                        queue.appendleft(e.src)
                    else:
                        queue.append(e.src)
        return dist, nxt

    # answers ---------------------------------------------------------------------------------------

    def _follow(self, node: str) -> list[Edge]:
        out: list[Edge] = []
        seen: set[str] = set()
        while node != ADMIN and node in self.next and node not in seen:
            seen.add(node)
            e = self.next[node]
            out.append(e)
            node = e.dst
        return out

    @staticmethod
    def _steps(edges: list[Edge]) -> tuple[Step, ...]:
        steps: list[Step] = []
        pending: Edge | None = None
        for e in edges:
            if e.dst.startswith("pool:"):
                pending = e
                continue
            if pending is not None and e.src.startswith("pool:"):
                steps.append(Step(pending.src, f"{pending.action}, {e.action}", e.dst, pending.grants))
                pending = None
                continue
            steps.append(Step(e.src, e.action, e.dst, e.grants))
        return tuple(steps)

    def paths_for_identity(self, identity: Identity, limit: int = 3) -> list[Path]:
        """Like :meth:`paths_for`, also for an identity no binding names (it may still hold group grants)."""
        label = identity.label
        if label not in self.identities:
            self.identities[label] = identity
            self._add_edges(label, identity)
            reach = [e.weight + self.dist[e.dst] for e in self.edges.get(label, ()) if e.dst in self.dist]
            if reach:
                self.dist[label] = min(reach)
        return self.paths_for(label, limit)

    def paths_for(self, label: str, limit: int = 3) -> list[Path]:
        """Shortest paths from ``label`` to cluster-admin, one per distinct first step, shortest first."""
        if label not in self.dist or label == ADMIN:
            return []
        direct = next(
            (e for e in self.edges.get(label, ()) if e.dst == ADMIN and e.action.startswith("holds")), None
        )
        if direct is not None:
            return [Path(label, self._steps([direct]))]
        candidates: list[tuple[int, int, list[Edge]]] = []
        seen: set[tuple[str, str]] = set()
        for i, e in enumerate(self.edges.get(label, ())):
            if e.dst not in self.dist or (e.dst, e.action) in seen:
                continue
            seen.add((e.dst, e.action))
            rest = self._follow(e.dst)
            if label in {x.dst for x in rest}:
                continue  # a detour through the start
            candidates.append((e.weight + self.dist[e.dst], i, [e, *rest]))
        candidates.sort(key=lambda c: (c[0], c[1]))
        return [Path(label, self._steps(edges)) for _, _, edges in candidates[:limit]]

    def all_paths(self, limit: int = 3, include_system: bool = False) -> list[Path]:
        """Paths for every identity that has one, shortest first (then by name).

        Unless ``include_system``, only identities the input names are shown, and no ``system:``
        users or groups (Kubernetes' own controllers are powerful by design).
        """
        out: list[Path] = []
        for label in sorted(self.identities, key=lambda x: (self.dist.get(x, 1 << 30), x)):
            if label not in self.dist:
                continue
            if not include_system and (_is_system_label(label) or label not in self.input_identities):
                continue
            out.extend(self.paths_for(label, limit))
        out.sort(key=lambda p: (len(p.steps), p.subject))
        return out


def _is_system_label(label: str) -> bool:
    return label.startswith(("user:system:", "group:system:"))


def subject_is_system(subject: Subject) -> bool:
    return subject.is_system


def escalation_graph(ctx: ScanContext) -> EscalationGraph:
    """The scan's escalation graph; use as ``ctx.cached(escalation_graph)``."""
    return escalation_graph_of(ctx.cached(rbac_graph), ctx.resources, ctx.options.k8s)


def escalation_graph_of(
    rbac: RbacGraph, resources: Iterable[Resource], k8s: KubeVersion = LATEST
) -> EscalationGraph:
    """The escalation graph of ``rbac`` with the service accounts and token Secrets of ``resources``,
    for target version ``k8s``."""
    items = list(resources)
    return EscalationGraph(rbac, service_accounts_of(items), token_secrets=token_secrets_of(items), k8s=k8s)


def service_accounts_of(resources: Iterable[Resource]) -> list[tuple[str, str]]:
    return [(r.effective_namespace or "default", r.name) for r in resources if r.kind == "ServiceAccount"]


def token_secrets_of(resources: Iterable[Resource]) -> list[TokenSecret]:
    """Secrets of type ``kubernetes.io/service-account-token`` naming their service account (the
    token controller fills only those, and only for an account of the Secret's namespace)."""
    out: list[TokenSecret] = []
    for r in resources:
        if r.kind != "Secret" or r.group != "" or r.raw.get("type") != TOKEN_SECRET_TYPE:
            continue
        account = r.annotations.get(SA_NAME_ANNOTATION)
        if isinstance(account, str) and account:
            out.append(TokenSecret(r.effective_namespace or "default", r.name, account))
    return out
