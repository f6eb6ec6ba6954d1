"""Deprecated and removed API versions, from the Kubernetes "Deprecated API Migration Guide"
(https://kubernetes.io/docs/reference/using-api/deprecation-guide/), and how each one stands for a
target Kubernetes version (``ScanOptions.k8s_version``: ``latest`` or ``v1.N``).
"""

from __future__ import annotations

from dataclasses import dataclass

from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Scope


@dataclass(frozen=True, slots=True)
class ApiVersionChange:
    """``api_version`` of ``kind`` deprecated in v1.``deprecated_in``, removed in v1.``removed_in``
    (``None``: deprecated but still served), to be replaced by ``replacement``."""

    api_version: str
    kind: str
    deprecated_in: int
    removed_in: int | None
    replacement: str


def _changes(
    api_versions: tuple[str, ...],
    kinds: tuple[str, ...],
    deprecated_in: int,
    removed_in: int | None,
    replacement: str,
) -> list[ApiVersionChange]:
    return [
        ApiVersionChange(v, k, deprecated_in, removed_in, replacement) for v in api_versions for k in kinds
    ]


_APPS = "apps/v1 (available since v1.9)"
_TABLE: list[ApiVersionChange] = [
    # v1.16
    *_changes(
        ("extensions/v1beta1",), ("NetworkPolicy",), 9, 16, "networking.k8s.io/v1 (available since v1.8)"
    ),
    *_changes(("extensions/v1beta1", "apps/v1beta2"), ("DaemonSet",), 9, 16, _APPS),
    *_changes(
        ("extensions/v1beta1", "apps/v1beta1", "apps/v1beta2"), ("Deployment", "ReplicaSet"), 9, 16, _APPS
    ),
    *_changes(("apps/v1beta1", "apps/v1beta2"), ("StatefulSet",), 9, 16, _APPS),
    *_changes(
        ("extensions/v1beta1",),
        ("PodSecurityPolicy",),
        11,
        16,
        "nothing: PodSecurityPolicy was removed in v1.25; use Pod Security Admission",
    ),
    # v1.22
    *_changes(
        ("admissionregistration.k8s.io/v1beta1",),
        ("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"),
        16,
        22,
        "admissionregistration.k8s.io/v1 (available since v1.16)",
    ),
    *_changes(
        ("apiextensions.k8s.io/v1beta1",),
        ("CustomResourceDefinition",),
        16,
        22,
        "apiextensions.k8s.io/v1 (available since v1.16)",
    ),
    *_changes(
        ("apiregistration.k8s.io/v1beta1",),
        ("APIService",),
        19,
        22,
        "apiregistration.k8s.io/v1 (available since v1.10)",
    ),
    *_changes(
        ("authentication.k8s.io/v1beta1",),
        ("TokenReview",),
        19,
        22,
        "authentication.k8s.io/v1 (available since v1.6)",
    ),
    *_changes(
        ("authorization.k8s.io/v1beta1",),
        (
            "LocalSubjectAccessReview",
            "SelfSubjectAccessReview",
            "SubjectAccessReview",
            "SelfSubjectRulesReview",
        ),
        19,
        22,
        "authorization.k8s.io/v1 (available since v1.6)",
    ),
    *_changes(
        ("certificates.k8s.io/v1beta1",),
        ("CertificateSigningRequest",),
        19,
        22,
        "certificates.k8s.io/v1 (available since v1.19)",
    ),
    *_changes(
        ("coordination.k8s.io/v1beta1",), ("Lease",), 19, 22, "coordination.k8s.io/v1 (available since v1.14)"
    ),
    *_changes(("extensions/v1beta1",), ("Ingress",), 14, 22, "networking.k8s.io/v1 (available since v1.19)"),
    *_changes(
        ("networking.k8s.io/v1beta1",),
        ("Ingress", "IngressClass"),
        19,
        22,
        "networking.k8s.io/v1 (available since v1.19)",
    ),
    *_changes(
        ("rbac.authorization.k8s.io/v1beta1",),
        ("ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"),
        17,
        22,
        "rbac.authorization.k8s.io/v1 (available since v1.8)",
    ),
    *_changes(
        ("scheduling.k8s.io/v1beta1",),
        ("PriorityClass",),
        14,
        22,
        "scheduling.k8s.io/v1 (available since v1.14)",
    ),
    *_changes(
        ("storage.k8s.io/v1beta1",),
        ("CSIDriver", "CSINode", "StorageClass", "VolumeAttachment"),
        19,
        22,
        "storage.k8s.io/v1",
    ),
    # v1.25
    *_changes(("batch/v1beta1",), ("CronJob",), 21, 25, "batch/v1 (available since v1.21)"),
    *_changes(
        ("discovery.k8s.io/v1beta1",),
        ("EndpointSlice",),
        21,
        25,
        "discovery.k8s.io/v1 (available since v1.21)",
    ),
    *_changes(("events.k8s.io/v1beta1",), ("Event",), 22, 25, "events.k8s.io/v1 (available since v1.19)"),
    *_changes(
        ("autoscaling/v2beta1",),
        ("HorizontalPodAutoscaler",),
        22,
        25,
        "autoscaling/v2 (available since v1.23)",
    ),
    *_changes(("policy/v1beta1",), ("PodDisruptionBudget",), 21, 25, "policy/v1 (available since v1.21)"),
    *_changes(
        ("policy/v1beta1",),
        ("PodSecurityPolicy",),
        21,
        25,
        "nothing: use Pod Security Admission (or a third-party admission webhook)",
    ),
    *_changes(("node.k8s.io/v1beta1",), ("RuntimeClass",), 22, 25, "node.k8s.io/v1 (available since v1.20)"),
    # v1.26
    *_changes(
        ("flowcontrol.apiserver.k8s.io/v1beta1",),
        ("FlowSchema", "PriorityLevelConfiguration"),
        23,
        26,
        "flowcontrol.apiserver.k8s.io/v1 (available since v1.29)",
    ),
    *_changes(
        ("autoscaling/v2beta2",),
        ("HorizontalPodAutoscaler",),
        23,
        26,
        "autoscaling/v2 (available since v1.23)",
    ),
    # v1.27
    *_changes(
        ("storage.k8s.io/v1beta1",),
        ("CSIStorageCapacity",),
        24,
        27,
        "storage.k8s.io/v1 (available since v1.24)",
    ),
    # v1.29
    *_changes(
        ("flowcontrol.apiserver.k8s.io/v1beta2",),
        ("FlowSchema", "PriorityLevelConfiguration"),
        26,
        29,
        "flowcontrol.apiserver.k8s.io/v1 (available since v1.29)",
    ),
    # v1.32
    *_changes(
        ("flowcontrol.apiserver.k8s.io/v1beta3",),
        ("FlowSchema", "PriorityLevelConfiguration"),
        29,
        32,
        "flowcontrol.apiserver.k8s.io/v1 (available since v1.29)",
    ),
    # Deprecated, still served (a v1 API is never removed within v1).
    *_changes(
        ("v1",), ("ComponentStatus",), 19, None, "nothing: query the components' /livez and /readyz endpoints"
    ),
    *_changes(("v1",), ("Endpoints",), 33, None, "discovery.k8s.io/v1 EndpointSlice (available since v1.21)"),
]

CHANGES: dict[tuple[str, str], ApiVersionChange] = {(c.api_version, c.kind): c for c in _TABLE}
KINDS: frozenset[str] = frozenset(c.kind for c in _TABLE)

#: The kinds that have a deprecated or removed API version; the check looks the apiVersion up.
API_VERSION_KINDS = Scope(
    f"kinds with a deprecated or removed API version ({len(KINDS)} kinds)",
    lambda r: r.kind in KINDS,
    kinds=KINDS,
)


def target_minor(ctx: ScanContext) -> int | None:
    """The target Kubernetes minor version; ``None`` for ``latest``."""
    return ctx.options.k8s.minor


def target_label(ctx: ScanContext) -> str:
    minor = target_minor(ctx)
    return "the latest Kubernetes" if minor is None else f"Kubernetes v1.{minor}"


def status(change: ApiVersionChange, minor: int | None) -> str | None:
    """``removed``, ``deprecated`` or ``None`` (fine) for the target minor version."""
    if change.removed_in is not None and (minor is None or minor >= change.removed_in):
        return "removed"
    if minor is None or minor >= change.deprecated_in:
        return "deprecated"
    return None
