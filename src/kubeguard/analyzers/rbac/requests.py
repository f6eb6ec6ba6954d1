"""Authorization requests as the RBAC authorizer sees them, and parsing them from the command line.

A resource request has a verb, an API group, a resource, an optional subresource, a namespace and an
optional object name. The namespace is ``""`` for a cluster-wide request (cluster-scoped resources,
or a list across all namespaces: only ClusterRoleBindings grant these) and ``"*"`` to ask about any
namespace at once (who-can ``-A``). A non-resource request has a verb and a URL path.
"""

from __future__ import annotations

from dataclasses import dataclass

#: API groups of common resources, so ``who-can list deployments`` needs no ``--api-group``.
WELL_KNOWN_GROUPS: dict[str, str] = {
    **{
        r: ""
        for r in (
            "pods",
            "services",
            "secrets",
            "configmaps",
            "serviceaccounts",
            "namespaces",
            "nodes",
            "persistentvolumes",
            "persistentvolumeclaims",
            "endpoints",
            "events",
            "replicationcontrollers",
            "limitranges",
            "resourcequotas",
            "podtemplates",
            "bindings",
            "componentstatuses",
        )
    },
    **{
        r: "apps" for r in ("deployments", "daemonsets", "statefulsets", "replicasets", "controllerrevisions")
    },
    **{r: "batch" for r in ("jobs", "cronjobs")},
    **{
        r: "rbac.authorization.k8s.io"
        for r in ("roles", "rolebindings", "clusterroles", "clusterrolebindings")
    },
    "certificatesigningrequests": "certificates.k8s.io",
    "signers": "certificates.k8s.io",
    "validatingwebhookconfigurations": "admissionregistration.k8s.io",
    "mutatingwebhookconfigurations": "admissionregistration.k8s.io",
    "validatingadmissionpolicies": "admissionregistration.k8s.io",
    "validatingadmissionpolicybindings": "admissionregistration.k8s.io",
    "customresourcedefinitions": "apiextensions.k8s.io",
    "networkpolicies": "networking.k8s.io",
    "ingresses": "networking.k8s.io",
    "storageclasses": "storage.k8s.io",
    "csidrivers": "storage.k8s.io",
    "horizontalpodautoscalers": "autoscaling",
    "poddisruptionbudgets": "policy",
    "leases": "coordination.k8s.io",
    "priorityclasses": "scheduling.k8s.io",
    "tokenreviews": "authentication.k8s.io",
    "subjectaccessreviews": "authorization.k8s.io",
}

#: Resources with no namespace: a RoleBinding can never grant them (``namespaces`` is special: a
#: request about namespace N carries N as its namespace).
CLUSTER_SCOPED_RESOURCES = frozenset(
    {
        "nodes",
        "persistentvolumes",
        "clusterroles",
        "clusterrolebindings",
        "certificatesigningrequests",
        "signers",
        "validatingwebhookconfigurations",
        "mutatingwebhookconfigurations",
        "validatingadmissionpolicies",
        "validatingadmissionpolicybindings",
        "customresourcedefinitions",
        "storageclasses",
        "csidrivers",
        "csinodes",
        "priorityclasses",
        "runtimeclasses",
        "apiservices",
        "tokenreviews",
        "subjectaccessreviews",
        "selfsubjectaccessreviews",
        "selfsubjectrulesreviews",
        "componentstatuses",
        "volumeattachments",
        "ingressclasses",
        "users",
        "groups",
        "uids",
        "userextras",
    }
)


@dataclass(frozen=True, slots=True)
class ResourceRequest:
    verb: str
    api_group: str
    resource: str
    subresource: str = ""
    namespace: str = ""
    name: str = ""

    @property
    def combined(self) -> str:
        return f"{self.resource}/{self.subresource}" if self.subresource else self.resource

    def __str__(self) -> str:
        group = f".{self.api_group}" if self.api_group else ""
        where = {"": "cluster-wide", "*": "in any namespace"}.get(
            self.namespace, f"in namespace {self.namespace}"
        )
        name = f" named {self.name!r}" if self.name else ""
        return f"{self.verb} {self.resource}{group}{'/' + self.subresource if self.subresource else ''}{name} {where}"


@dataclass(frozen=True, slots=True)
class UrlRequest:
    verb: str
    path: str

    def __str__(self) -> str:
        return f"{self.verb} {self.path}"


def resource_request(
    verb: str,
    resource: str,
    namespace: str | None = None,
    name: str = "",
    api_group: str | None = None,
    all_namespaces: bool = False,
) -> ResourceRequest:
    """Parse ``RESOURCE[.GROUP][/SUBRESOURCE]`` the way kubectl writes it; ``ValueError`` if malformed.

    Without ``api_group`` the group comes from ``.GROUP`` or, for well-known resources, from
    :data:`WELL_KNOWN_GROUPS` (else the core group). Cluster-scoped resources ignore the namespace.
    """
    verb = verb.strip()
    if not verb:
        raise ValueError("VERB must not be empty")
    text = resource.strip()
    base, _, sub = text.partition("/")
    if not base or "/" in sub or (text.endswith("/") and not sub):
        raise ValueError(f"resource {resource!r} must be RESOURCE[.GROUP][/SUBRESOURCE]")
    res, dot, group = base.partition(".")
    if api_group is None:
        api_group = group if dot else WELL_KNOWN_GROUPS.get(res, "")
    elif dot:
        raise ValueError(f"give the API group either in {resource!r} or with --api-group, not both")
    ns = "*" if all_namespaces else namespace or ""
    if res in CLUSTER_SCOPED_RESOURCES and not (verb == "bind" and res == "clusterroles"):
        ns = ""  # (binding a ClusterRole in a RoleBinding is checked in the RoleBinding's namespace)
    elif res == "namespaces" and not sub:
        ns = name or ""  # the API server puts a namespace's own name in the request's namespace
    return ResourceRequest(verb, api_group, res.lower(), sub, ns, name)


def url_request(verb: str, path: str) -> UrlRequest:
    if not path.startswith("/"):
        raise ValueError(f"non-resource URL {path!r} must start with '/'")
    return UrlRequest(verb.strip(), path)
