"""Facts about built-in Kubernetes kinds: which API groups serve them, which are cluster-scoped,
and where each workload kind keeps its pod template."""

from __future__ import annotations

from kubeguard.model.pointer import Pointer

# Built-in kinds by API group ("" is the core group). Used to tell a typo in a built-in kind
# (an error) from a custom resource (scanned by shape).
BUILTIN_KINDS: dict[str, frozenset[str]] = {
    "": frozenset(
        {
            "Binding",
            "ComponentStatus",
            "ConfigMap",
            "Endpoints",
            "Event",
            "LimitRange",
            "Namespace",
            "Node",
            "PersistentVolume",
            "PersistentVolumeClaim",
            "Pod",
            "PodTemplate",
            "ReplicationController",
            "ResourceQuota",
            "Secret",
            "Service",
            "ServiceAccount",
            "List",
        }
    ),
    "apps": frozenset({"ControllerRevision", "DaemonSet", "Deployment", "ReplicaSet", "StatefulSet"}),
    "batch": frozenset({"CronJob", "Job"}),
    "extensions": frozenset(
        {"DaemonSet", "Deployment", "Ingress", "NetworkPolicy", "PodSecurityPolicy", "ReplicaSet"}
    ),
    "networking.k8s.io": frozenset({"Ingress", "IngressClass", "NetworkPolicy", "IPAddress", "ServiceCIDR"}),
    "policy": frozenset({"PodDisruptionBudget", "PodSecurityPolicy", "Eviction"}),
    "rbac.authorization.k8s.io": frozenset({"ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"}),
    "autoscaling": frozenset({"HorizontalPodAutoscaler"}),
    "storage.k8s.io": frozenset(
        {"CSIDriver", "CSINode", "CSIStorageCapacity", "StorageClass", "VolumeAttachment"}
    ),
    "admissionregistration.k8s.io": frozenset(
        {
            "MutatingWebhookConfiguration",
            "ValidatingWebhookConfiguration",
            "ValidatingAdmissionPolicy",
            "ValidatingAdmissionPolicyBinding",
            "MutatingAdmissionPolicy",
            "MutatingAdmissionPolicyBinding",
        }
    ),
    "apiextensions.k8s.io": frozenset({"CustomResourceDefinition"}),
    "scheduling.k8s.io": frozenset({"PriorityClass"}),
    "coordination.k8s.io": frozenset({"Lease"}),
    "node.k8s.io": frozenset({"RuntimeClass"}),
    "discovery.k8s.io": frozenset({"EndpointSlice"}),
    "certificates.k8s.io": frozenset({"CertificateSigningRequest", "ClusterTrustBundle"}),
    "events.k8s.io": frozenset({"Event"}),
    "flowcontrol.apiserver.k8s.io": frozenset({"FlowSchema", "PriorityLevelConfiguration"}),
    "apiregistration.k8s.io": frozenset({"APIService"}),
    "authentication.k8s.io": frozenset({"TokenReview", "TokenRequest", "SelfSubjectReview"}),
    "authorization.k8s.io": frozenset(
        {
            "SubjectAccessReview",
            "SelfSubjectAccessReview",
            "LocalSubjectAccessReview",
            "SelfSubjectRulesReview",
        }
    ),
    "resource.k8s.io": frozenset({"DeviceClass", "ResourceClaim", "ResourceClaimTemplate", "ResourceSlice"}),
}

# API groups of component configuration files (not API objects): they carry no metadata and are
# cluster-scoped by nature. Their objects are named after their kind unless metadata.name is set.
CONFIG_GROUPS = frozenset(
    {
        "kubelet.config.k8s.io",
        "apiserver.config.k8s.io",
        "apiserver.k8s.io",
        "audit.k8s.io",
        "kubeadm.k8s.io",
        "kubeproxy.config.k8s.io",
        "kubescheduler.config.k8s.io",
        "kubecontrollermanager.config.k8s.io",
        "pod-security.admission.config.k8s.io",
        "eventratelimit.admission.k8s.io",
    }
)

CLUSTER_SCOPED_KINDS = frozenset(
    {
        "Namespace",
        "Node",
        "PersistentVolume",
        "ClusterRole",
        "ClusterRoleBinding",
        "StorageClass",
        "CSIDriver",
        "CSINode",
        "VolumeAttachment",
        "MutatingWebhookConfiguration",
        "ValidatingWebhookConfiguration",
        "ValidatingAdmissionPolicy",
        "ValidatingAdmissionPolicyBinding",
        "MutatingAdmissionPolicy",
        "MutatingAdmissionPolicyBinding",
        "CustomResourceDefinition",
        "PriorityClass",
        "RuntimeClass",
        "CertificateSigningRequest",
        "ClusterTrustBundle",
        "FlowSchema",
        "PriorityLevelConfiguration",
        "APIService",
        "IngressClass",
        "PodSecurityPolicy",
        "ComponentStatus",
        "IPAddress",
        "ServiceCIDR",
        "DeviceClass",
        "ResourceSlice",
        # well-known cluster-scoped custom resources
        "CiliumClusterwideNetworkPolicy",
        "GlobalNetworkPolicy",
        "ClusterIssuer",
        "ClusterPolicy",
        # the files of a node as `kubeguard node` describes them (kubeguard.io/v1)
        "NodeFile",
    }
)

# Where the pod spec sits inside each built-in workload kind.
POD_SPEC_PATHS: dict[str, Pointer] = {
    "Pod": Pointer(("spec",)),
    "Deployment": Pointer(("spec", "template", "spec")),
    "ReplicaSet": Pointer(("spec", "template", "spec")),
    "ReplicationController": Pointer(("spec", "template", "spec")),
    "StatefulSet": Pointer(("spec", "template", "spec")),
    "DaemonSet": Pointer(("spec", "template", "spec")),
    "Job": Pointer(("spec", "template", "spec")),
    "CronJob": Pointer(("spec", "jobTemplate", "spec", "template", "spec")),
    "PodTemplate": Pointer(("template", "spec")),
}

BUILTIN_WORKLOAD_KINDS = frozenset(POD_SPEC_PATHS)


def api_group(api_version: str) -> str:
    """``apps/v1`` -> ``apps``; ``v1`` -> ``""`` (the core group)."""
    group, sep, _ = api_version.rpartition("/")
    return group if sep else ""


def is_builtin_group(group: str) -> bool:
    return group in BUILTIN_KINDS or (group.endswith(".k8s.io") and not group.startswith("x-"))


def is_cluster_scoped(kind: str, group: str = "") -> bool:
    return kind in CLUSTER_SCOPED_KINDS or group in CONFIG_GROUPS
