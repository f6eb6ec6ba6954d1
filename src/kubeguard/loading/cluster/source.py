"""What to read from a cluster, what was read, and how collected objects are named.

A collected object's location is a URI, ``k8s://<context>/<namespace>/<Kind>[.<group>]/<name>``
for namespaced objects and ``k8s://<context>/<Kind>[.<group>]/<name>`` for cluster-scoped ones
(the context percent-encoded: EKS contexts hold ``:`` and ``/``). It is stable across runs, so
JSON and SARIF consumers can follow one object from scan to scan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote

from kubeguard.model.kinds import BUILTIN_WORKLOAD_KINDS

#: Kinds never read from a cluster, whatever rules ask: records of what happened and state the
#: control plane keeps for itself, not configuration anyone applied (a busy cluster holds hundreds
#: of thousands of events, endpoints and leases). In files they are judged like any object.
SKIPPED_KINDS = frozenset(
    {
        ("", "Event"),
        ("events.k8s.io", "Event"),
        ("", "ComponentStatus"),
        ("", "Endpoints"),
        ("discovery.k8s.io", "EndpointSlice"),
        ("coordination.k8s.io", "Lease"),
        ("storage.k8s.io", "CSINode"),
        ("storage.k8s.io", "CSIStorageCapacity"),
        ("storage.k8s.io", "VolumeAttachment"),
        ("certificates.k8s.io", "CertificateSigningRequest"),
        ("apps", "ControllerRevision"),
    }
)
#: API groups that serve live measurements, not objects (and fail whenever their adapter is down).
SKIPPED_GROUPS = frozenset({"metrics.k8s.io", "custom.metrics.k8s.io", "external.metrics.k8s.io"})


class ClusterError(Exception):
    """The cluster cannot be read at all (no configuration, unreachable, TLS or credentials refused):
    a one-line message naming the server and the cause. Never carries a credential."""


@dataclass(frozen=True, slots=True)
class KindSelection:
    """Which kinds to list: ``everything`` (every listable kind but :data:`SKIPPED_KINDS`), else
    ``kinds`` by name plus every custom resource when ``custom_resources`` (pod templates inside
    custom resources are found by shape, as on files). ``needed_by``: kind -> the rule families that
    read it (``"*"``: the families that read every kind), to say which rules did not run when a
    kind is forbidden."""

    kinds: frozenset[str] = frozenset()
    custom_resources: bool = False
    everything: bool = False
    needed_by: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def wants(self, group: str, kind: str, builtin: bool) -> bool:
        if (group, kind) in SKIPPED_KINDS or group in SKIPPED_GROUPS:
            return False
        if self.everything or kind in self.kinds:
            return True
        return self.custom_resources and not builtin

    def families(self, kind: str) -> tuple[str, ...]:
        """The families that read ``kind`` (``needed_by["*"]``: those that read every kind)."""
        return tuple(sorted({*self.needed_by.get(kind, ()), *self.needed_by.get("*", ())}))


EVERYTHING = KindSelection(everything=True)
_WORKLOADS = BUILTIN_WORKLOAD_KINDS | {"Namespace"}
#: What ``kubeguard pss`` reads: workloads (custom resources with pod templates too) and Namespaces.
PSS_KINDS = KindSelection(kinds=frozenset(_WORKLOADS), custom_resources=True)
#: What ``kubeguard rbac`` reads: roles, bindings, service accounts and their token Secrets, CRDs.
RBAC_KINDS = KindSelection(
    kinds=frozenset(
        {
            "Role",
            "ClusterRole",
            "RoleBinding",
            "ClusterRoleBinding",
            "ServiceAccount",
            "Secret",
            "CustomResourceDefinition",
            "Namespace",
        }
    )
)
#: What ``kubeguard netpol`` reads: workloads, namespaces, policies (third-party ones are custom
#: resources), Services, Ingresses and their Secrets.
NETWORK_KINDS = KindSelection(
    kinds=frozenset(_WORKLOADS | {"NetworkPolicy", "Service", "Ingress", "IngressClass", "Secret"}),
    custom_resources=True,
)


@dataclass(frozen=True, slots=True)
class ClusterSource:
    """A live cluster to read.

    ``kubeconfig``: the file (``None``: ``KUBECONFIG``, else ``~/.kube/config``); ``context``: its
    context (``None``: the current one); ``in_cluster``: use the pod's service account (``None``:
    when no kubeconfig exists and the pod's environment is there). ``namespaces``: list namespaced
    kinds only in these (cluster-scoped kinds are always read). Which kinds are listed is
    ``LoadOptions.kinds`` (what the rules need). ``page_size``: objects per list
    request; ``workers``: lists running at once. ``configz``: also read each node's kubelet
    configuration through the API server's node proxy.
    """

    kubeconfig: str | None = None
    context: str | None = None
    in_cluster: bool | None = None
    namespaces: tuple[str, ...] = ()
    page_size: int = 500
    workers: int = 4
    configz: bool = True
    timeout: float = 30.0


@dataclass(slots=True)
class Forbidden:
    """A resource the credentials may not list (cluster-wide, or in ``namespace``)."""

    resource: str  # plural resource name with group: ``secrets``, ``roles.rbac.authorization.k8s.io``
    kind: str
    namespace: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {"resource": self.resource, "kind": self.kind, "namespace": self.namespace}


@dataclass(slots=True)
class ClusterInfo:
    """What a cluster read found: who and what was asked, and what was available."""

    context: str
    server: str
    #: ``gitVersion`` from ``/version`` (``v1.31.4``), or ``None`` when the server did not say.
    version: str | None = None
    collected_at: str = ""
    namespaces: list[str] = field(default_factory=list)
    #: kind (``Kind.group``) -> objects read
    counts: dict[str, int] = field(default_factory=dict)
    forbidden: list[Forbidden] = field(default_factory=list)
    #: what only a live cluster gives and whether it was there: name -> short description
    available: dict[str, str] = field(default_factory=dict)
    #: "cluster" for a live read, else the snapshot file it came from
    source: str = "cluster"

    @property
    def minor_version(self) -> str | None:
        """``v1.N`` of the server's version, when it is one."""
        if not self.version:
            return None
        parts = self.version.lstrip("v").split(".")
        if len(parts) >= 2 and parts[0] == "1" and parts[1].isdigit():
            return f"v1.{int(parts[1])}"
        return None

    def to_dict(self) -> dict[str, object]:
        return {
            "context": self.context,
            "server": self.server,
            "version": self.version,
            "collectedAt": self.collected_at,
            "namespaces": self.namespaces,
            "objects": dict(sorted(self.counts.items())),
            "forbidden": [f.to_dict() for f in self.forbidden],
            "available": dict(self.available),
            "source": self.source,
        }


def qualified_kind(kind: str, group: str) -> str:
    return f"{kind}.{group}" if group else kind


def cluster_uri(context: str) -> str:
    return f"k8s://{quote(context, safe='')}"


def object_uri(context: str, group: str, kind: str, namespace: str | None, name: str) -> str:
    """The location URI of a collected object (see the module docstring)."""
    # ':' is kept in path segments (``system:node-proxier``), never in the authority (the context).
    ns = f"{quote(namespace, safe=':@')}/" if namespace else ""
    return f"{cluster_uri(context)}/{ns}{qualified_kind(kind, group)}/{quote(name, safe=':@')}"
