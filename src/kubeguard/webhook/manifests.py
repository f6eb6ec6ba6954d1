"""``kubeguard webhook manifests``: every object that deploys the webhook, ready for ``kubectl apply``.

Namespace, ServiceAccount (no API token), ConfigMap (the webhook's ``.kubeguard.yaml``), Deployment
(two replicas spread over nodes, restricted securityContext, requests and limits, probes),
PodDisruptionBudget, Service, NetworkPolicies (everything denied but the API server's ranges to port
8443), a ResourceQuota, the ValidatingWebhookConfiguration (fail closed, no side effects, 5 s, v1
reviews, its own namespace and kube-system excluded) and the serving certificate: cert-manager's
Issuer and Certificate with the CA bundle injected, or a CA made here with the bundle filled in.
These objects pass ``kubeguard scan`` with no finding (a test).
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml

NAME = "kubeguard-webhook"
WEBHOOK_NAME = "validate.kubeguard.io"
PORT = 8443
UID = 10001
#: Where the API server usually reaches pods from (private, shared and link-local-free ranges); give
#: ``--api-server-cidr`` when yours is elsewhere, or the API server cannot reach the webhook.
DEFAULT_API_SERVER_CIDRS = ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10")

#: What the webhook is registered for, by API group: (resource, kind) of what the admission rules
#: judge. A test checks that every built-in kind an admission rule names is here or in EXCLUDED.
RESOURCES: dict[str, tuple[tuple[str, str], ...]] = {
    "": (
        ("pods", "Pod"),
        ("pods/ephemeralcontainers", "Pod"),
        ("replicationcontrollers", "ReplicationController"),
        ("services", "Service"),
        ("configmaps", "ConfigMap"),
        ("secrets", "Secret"),
        ("serviceaccounts", "ServiceAccount"),
        ("namespaces", "Namespace"),
        ("persistentvolumes", "PersistentVolume"),
        ("podtemplates", "PodTemplate"),
    ),
    "apps": (
        ("deployments", "Deployment"),
        ("replicasets", "ReplicaSet"),
        ("statefulsets", "StatefulSet"),
        ("daemonsets", "DaemonSet"),
    ),
    "batch": (("jobs", "Job"), ("cronjobs", "CronJob")),
    "networking.k8s.io": (
        ("ingresses", "Ingress"),
        ("ingressclasses", "IngressClass"),
        ("networkpolicies", "NetworkPolicy"),
    ),
    "rbac.authorization.k8s.io": (
        ("roles", "Role"),
        ("rolebindings", "RoleBinding"),
        ("clusterroles", "ClusterRole"),
        ("clusterrolebindings", "ClusterRoleBinding"),
    ),
    "admissionregistration.k8s.io": (
        ("validatingwebhookconfigurations", "ValidatingWebhookConfiguration"),
        ("mutatingwebhookconfigurations", "MutatingWebhookConfiguration"),
    ),
    "apiextensions.k8s.io": (("customresourcedefinitions", "CustomResourceDefinition"),),
    "apiregistration.k8s.io": (("apiservices", "APIService"),),
    "autoscaling": (("horizontalpodautoscalers", "HorizontalPodAutoscaler"),),
    "certificates.k8s.io": (("certificatesigningrequests", "CertificateSigningRequest"),),
    "flowcontrol.apiserver.k8s.io": (
        ("flowschemas", "FlowSchema"),
        ("prioritylevelconfigurations", "PriorityLevelConfiguration"),
    ),
    "node.k8s.io": (("runtimeclasses", "RuntimeClass"),),
    "policy": (("poddisruptionbudgets", "PodDisruptionBudget"),),
    "scheduling.k8s.io": (("priorityclasses", "PriorityClass"),),
    "storage.k8s.io": (("storageclasses", "StorageClass"), ("csidrivers", "CSIDriver")),
    "security.istio.io": (("authorizationpolicies", "AuthorizationPolicy"),),
}

#: Kinds some admission rule names that the webhook is not registered for, and why.
EXCLUDED: dict[str, str] = {
    "Event": "written by every controller all the time; judging them would put the webhook on every write path",
    "Lease": "leader election and node heartbeats, every few seconds",
    "Endpoints": "written by the endpoints controller on every pod change",
    "EndpointSlice": "written by the endpoint slice controller on every pod change",
    "CSINode": "written by kubelets",
    "CSIStorageCapacity": "written by CSI drivers",
    "VolumeAttachment": "written by the attach/detach controller",
    "ComponentStatus": "read-only",
    "PodSecurityPolicy": "removed in Kubernetes 1.25",
    "TokenReview": "a question to the API server, not a stored object",
    "SubjectAccessReview": "a question to the API server, not a stored object",
    "LocalSubjectAccessReview": "a question to the API server, not a stored object",
    "SelfSubjectAccessReview": "a question to the API server, not a stored object",
    "SelfSubjectRulesReview": "a question to the API server, not a stored object",
    "KubeletConfiguration": "a configuration file, never sent to the API server",
    "KubeProxyConfiguration": "a configuration file, never sent to the API server",
    "EncryptionConfiguration": "a configuration file, never sent to the API server",
    "EncryptionConfig": "a configuration file, never sent to the API server",
    "ClusterConfiguration": "a kubeadm configuration file, never sent to the API server",
    "InitConfiguration": "a kubeadm configuration file, never sent to the API server",
    "JoinConfiguration": "a kubeadm configuration file, never sent to the API server",
    "Policy": "an audit policy file, never sent to the API server",
    "NodeFile": "a file of a node (kubeguard node), not an API object",
}


@dataclass(frozen=True)
class ManifestOptions:
    namespace: str = "kubeguard"
    image: str = ""
    cert_manager: bool = False
    api_server_cidrs: Sequence[str] = DEFAULT_API_SERVER_CIDRS
    replicas: int = 2
    mode: str = "enforce"


def _labels() -> dict[str, str]:
    return {"app.kubernetes.io/name": NAME, "app.kubernetes.io/part-of": "kubeguard"}


def _meta(name: str, namespace: str | None = None, **extra: Any) -> dict[str, Any]:
    md: dict[str, Any] = {"name": name, "labels": _labels()}
    if namespace is not None:
        md["namespace"] = namespace
    md.update(extra)
    return md


def _dns_names(ns: str) -> list[str]:
    return [NAME, f"{NAME}.{ns}", f"{NAME}.{ns}.svc", f"{NAME}.{ns}.svc.cluster.local"]


def _container(options: ManifestOptions) -> dict[str, Any]:
    def probe(path: str, failures: int) -> dict[str, Any]:
        return {
            "httpGet": {"path": path, "port": PORT, "scheme": "HTTPS"},
            "periodSeconds": 10,
            "timeoutSeconds": 3,
            "failureThreshold": failures,
        }

    return {
        "name": "webhook",
        "image": options.image,
        "imagePullPolicy": "IfNotPresent",
        "args": [
            "webhook",
            "serve",
            "--cert-file=/tls/tls.crt",
            "--key-file=/tls/tls.key",
            "--config=/etc/kubeguard/kubeguard.yaml",
            f"--port={PORT}",
        ],
        "ports": [{"name": "https", "containerPort": PORT, "protocol": "TCP"}],
        "livenessProbe": probe("/healthz", 3),
        "readinessProbe": probe("/readyz", 1),
        "resources": {
            "requests": {"cpu": "100m", "memory": "128Mi", "ephemeral-storage": "64Mi"},
            "limits": {"cpu": "1", "memory": "512Mi", "ephemeral-storage": "256Mi"},
        },
        "securityContext": {
            "allowPrivilegeEscalation": False,
            "readOnlyRootFilesystem": True,
            "runAsNonRoot": True,
            "runAsUser": UID,
            "runAsGroup": UID,
            "capabilities": {"drop": ["ALL"]},
            "seccompProfile": {"type": "RuntimeDefault"},
        },
        "volumeMounts": [
            {"name": "tls", "mountPath": "/tls", "readOnly": True},
            {"name": "config", "mountPath": "/etc/kubeguard", "readOnly": True},
        ],
    }


def build(options: ManifestOptions) -> list[dict[str, Any]]:
    """The objects, in the order ``kubectl apply`` needs them."""
    ns = options.namespace
    selector = {"app.kubernetes.io/name": NAME}
    tls_secret = f"{NAME}-tls"
    objects: list[dict[str, Any]] = [
        {
            "apiVersion": "v1",
            "kind": "Namespace",
            "metadata": {
                "name": ns,
                "labels": {
                    **_labels(),
                    "pod-security.kubernetes.io/enforce": "restricted",
                    "pod-security.kubernetes.io/enforce-version": "latest",
                },
            },
        },
        {
            "apiVersion": "v1",
            "kind": "ServiceAccount",
            "metadata": _meta(NAME, ns),
            "automountServiceAccountToken": False,
        },
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": _meta(f"{NAME}-config", ns),
            "data": {
                "kubeguard.yaml": (
                    "# The webhook's configuration: exceptions, settings and the admission section\n"
                    "# (modes per namespace, exemptions); see docs/admission.md.\n"
                    f"admission:\n  mode: {options.mode}\n"
                )
            },
        },
        {
            "apiVersion": "v1",
            "kind": "ResourceQuota",
            "metadata": _meta(NAME, ns),
            "spec": {
                "hard": {
                    "pods": "10",
                    "requests.cpu": "2",
                    "requests.memory": "2Gi",
                    "limits.cpu": "8",
                    "limits.memory": "8Gi",
                }
            },
        },
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": _meta("default-deny", ns),
            "spec": {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]},
        },
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": _meta(f"{NAME}-from-api-server", ns),
            "spec": {
                "podSelector": {"matchLabels": selector},
                "policyTypes": ["Ingress"],
                "ingress": [
                    {
                        "from": [{"ipBlock": {"cidr": cidr}} for cidr in options.api_server_cidrs],
                        "ports": [{"protocol": "TCP", "port": PORT}],
                    }
                ],
            },
        },
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": _meta(NAME, ns),
            "spec": {
                "replicas": options.replicas,
                "selector": {"matchLabels": selector},
                "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 1}},
                "template": {
                    "metadata": {"labels": _labels()},
                    "spec": {
                        "serviceAccountName": NAME,
                        "automountServiceAccountToken": False,
                        "securityContext": {
                            "runAsNonRoot": True,
                            "runAsUser": UID,
                            "runAsGroup": UID,
                            "fsGroup": UID,
                            "seccompProfile": {"type": "RuntimeDefault"},
                        },
                        "affinity": {
                            "podAntiAffinity": {
                                # spread over nodes where there are several; a one-node cluster still runs both
                                "preferredDuringSchedulingIgnoredDuringExecution": [
                                    {
                                        "weight": 100,
                                        "podAffinityTerm": {
                                            "labelSelector": {"matchLabels": selector},
                                            "topologyKey": "kubernetes.io/hostname",
                                        },
                                    }
                                ]
                            }
                        },
                        "containers": [_container(options)],
                        "volumes": [
                            {"name": "tls", "secret": {"secretName": tls_secret, "defaultMode": 0o440}},
                            {"name": "config", "configMap": {"name": f"{NAME}-config"}},
                        ],
                    },
                },
            },
        },
        {
            "apiVersion": "policy/v1",
            "kind": "PodDisruptionBudget",
            "metadata": _meta(NAME, ns),
            "spec": {"minAvailable": 1, "selector": {"matchLabels": selector}},
        },
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": _meta(NAME, ns),
            "spec": {
                "type": "ClusterIP",
                "selector": selector,
                "ports": [{"name": "https", "port": 443, "targetPort": "https", "protocol": "TCP"}],
            },
        },
    ]
    webhook_config: dict[str, Any] = {
        "apiVersion": "admissionregistration.k8s.io/v1",
        "kind": "ValidatingWebhookConfiguration",
        "metadata": _meta(NAME),
        "webhooks": [
            {
                "name": WEBHOOK_NAME,
                "clientConfig": {
                    "service": {"namespace": ns, "name": NAME, "path": "/validate", "port": 443}
                },
                "rules": [
                    {
                        "apiGroups": [group],
                        "apiVersions": ["*"],
                        "resources": [resource for resource, _ in resources],
                        "operations": ["CREATE", "UPDATE"],
                        "scope": "*",
                    }
                    for group, resources in RESOURCES.items()
                ],
                "failurePolicy": "Fail",
                "sideEffects": "None",
                "timeoutSeconds": 5,
                "matchPolicy": "Equivalent",
                "admissionReviewVersions": ["v1"],
                "namespaceSelector": {
                    "matchExpressions": [
                        {
                            "key": "kubernetes.io/metadata.name",
                            "operator": "NotIn",
                            "values": sorted({ns, "kube-system"}),
                        }
                    ]
                },
            }
        ],
    }
    if options.cert_manager:
        issuer = f"{NAME}-selfsigned"
        objects += [
            {
                "apiVersion": "cert-manager.io/v1",
                "kind": "Issuer",
                "metadata": _meta(issuer, ns),
                "spec": {"selfSigned": {}},
            },
            {
                "apiVersion": "cert-manager.io/v1",
                "kind": "Certificate",
                "metadata": _meta(tls_secret, ns),
                "spec": {
                    "secretName": tls_secret,
                    "dnsNames": _dns_names(ns),
                    "issuerRef": {"name": issuer, "kind": "Issuer"},
                    "duration": "2160h",
                    "renewBefore": "360h",
                    "privateKey": {"algorithm": "ECDSA", "size": 256, "rotationPolicy": "Always"},
                },
            },
        ]
        webhook_config["metadata"]["annotations"] = {"cert-manager.io/inject-ca-from": f"{ns}/{tls_secret}"}
    else:
        from kubeguard.serve.certs import issue, make_ca

        ca = make_ca(f"{NAME}-ca")
        pair = issue(ca, _dns_names(ns), days=365)
        objects.append(
            {
                "apiVersion": "v1",
                "kind": "Secret",
                "metadata": _meta(
                    tls_secret,
                    ns,
                    annotations={
                        "ignore.kubeguard.io/SEC004": (
                            "made by kubeguard webhook manifests to be applied, not committed; "
                            "use --cert-manager to keep the key out of manifests"
                        )
                    },
                ),
                "type": "kubernetes.io/tls",
                "data": {
                    "tls.crt": base64.b64encode(pair.cert_pem).decode(),
                    "tls.key": base64.b64encode(pair.key_pem).decode(),
                },
            }
        )
        webhook_config["webhooks"][0]["clientConfig"]["caBundle"] = base64.b64encode(ca.cert_pem).decode()
    objects.append(webhook_config)
    return objects


def render(options: ManifestOptions) -> str:
    """The objects as one multi-document YAML stream."""
    return yaml.safe_dump_all(build(options), sort_keys=False, default_flow_style=False)
