"""The fleet manifests: a CronJob running ``kubeguard scan --cluster`` into a store, and a dashboard.

Everything runs as the restricted Pod Security level asks (non-root, no privilege escalation, all
capabilities dropped, RuntimeDefault seccomp, read-only root filesystem), with requests and limits,
and the manifests pass ``kubeguard scan`` with zero findings (a test keeps that true).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from kubeguard._version import __version__

NAMESPACE = "kubeguard"
SCANNER = "kubeguard-scanner"
DASHBOARD = "kubeguard-dashboard"
STORE_KEY = "url"  # the key of the store Secret that holds the URL
DASHBOARD_PORT = 8443
UID = 65532  # the conventional "nonroot" user of distroless images

#: The documents of the RBAC file the scanner needs (the optional extra roles are left out).
_SCANNER_DOCS = {
    ("Namespace", NAMESPACE),
    ("NetworkPolicy", "default-deny-ingress"),
    ("ServiceAccount", SCANNER),
    ("ClusterRole", SCANNER),
    ("ClusterRoleBinding", SCANNER),
}


@dataclass(frozen=True)
class FleetOptions:
    """What ``kubeguard deploy manifests`` asks for."""

    store_secret: str
    image: str
    cluster_name: str
    schedule: str = "17 */6 * * *"
    dashboard: bool = False
    dashboard_tls_secret: str = "kubeguard-dashboard-tls"


def scanner_rbac() -> list[dict[str, Any]]:
    """The namespace, ServiceAccount, read-only ClusterRole and binding of ``deploy/kubeguard-scanner-rbac.yaml``."""
    text = (resources.files("kubeguard.deploy") / "scanner-rbac.yaml").read_text(encoding="utf-8")
    docs = [d for d in yaml.safe_load_all(text) if isinstance(d, dict)]
    chosen = [d for d in docs if (d.get("kind"), d.get("metadata", {}).get("name")) in _SCANNER_DOCS]
    found = {(d["kind"], d["metadata"]["name"]) for d in chosen}
    if found != _SCANNER_DOCS:  # the file changed shape: fail loudly rather than deploy half
        raise ValueError(f"deploy/kubeguard-scanner-rbac.yaml lacks {sorted(_SCANNER_DOCS - found)}")
    return chosen


def _labels(component: str) -> dict[str, str]:
    return {"app.kubernetes.io/name": "kubeguard", "app.kubernetes.io/component": component}


def _pod_security() -> dict[str, Any]:
    return {
        "runAsNonRoot": True,
        "runAsUser": UID,
        "runAsGroup": UID,
        "fsGroup": UID,
        "seccompProfile": {"type": "RuntimeDefault"},
    }


def _container_security() -> dict[str, Any]:
    return {
        "allowPrivilegeEscalation": False,
        "readOnlyRootFilesystem": True,
        "runAsNonRoot": True,
        "runAsUser": UID,
        "runAsGroup": UID,
        "capabilities": {"drop": ["ALL"]},
        "seccompProfile": {"type": "RuntimeDefault"},
    }


# Accepted risks, said where kubeguard reads them (annotations on the workload cover its pods).
_SECRET_ENV = (
    "kubeguard reads the store URL from KUBEGUARD_STORE; the Secret holds only that URL, and the "
    "namespace runs nothing but kubeguard"
)
_SCANNER_TOKEN = "the scanner reads the cluster with this token (its ClusterRole is read-only)"


def _store_env(options: FleetOptions) -> list[dict[str, Any]]:
    return [
        {
            "name": "KUBEGUARD_STORE",
            "valueFrom": {"secretKeyRef": {"name": options.store_secret, "key": STORE_KEY}},
        }
    ]


def _tmp() -> tuple[dict[str, Any], dict[str, Any]]:
    volume = {"name": "tmp", "emptyDir": {"sizeLimit": "256Mi"}}
    mount = {"name": "tmp", "mountPath": "/tmp"}
    return volume, mount


def resource_policy() -> list[dict[str, Any]]:
    """Defaults and a ceiling for the namespace, so nothing in it runs unbounded."""
    return [
        {
            "apiVersion": "v1",
            "kind": "LimitRange",
            "metadata": {"name": "kubeguard-defaults", "namespace": NAMESPACE},
            "spec": {
                "limits": [
                    {
                        "type": "Container",
                        "default": {"cpu": "1", "memory": "1Gi", "ephemeral-storage": "512Mi"},
                        "defaultRequest": {"cpu": "100m", "memory": "256Mi", "ephemeral-storage": "64Mi"},
                    }
                ]
            },
        },
        {
            "apiVersion": "v1",
            "kind": "ResourceQuota",
            "metadata": {"name": "kubeguard-quota", "namespace": NAMESPACE},
            "spec": {
                "hard": {
                    "requests.cpu": "4",
                    "requests.memory": "8Gi",
                    "limits.cpu": "8",
                    "limits.memory": "16Gi",
                    "pods": "10",
                }
            },
        },
    ]


def cronjob(options: FleetOptions) -> dict[str, Any]:
    """The scheduled scan: ``kubeguard scan --cluster --store $(KUBEGUARD_STORE)``, one at a time."""
    volume, mount = _tmp()
    container = {
        "name": "scan",
        "image": options.image,
        "imagePullPolicy": "Always",
        "args": [
            "scan",
            "--cluster",
            "--store",
            "$(KUBEGUARD_STORE)",
            "--source-name",
            f"cluster:{options.cluster_name}",
            "--exit-zero",  # findings are the data, not a failure; an unwritable store still fails
            "--no-progress",
            "--format",
            "json",
            "--output",
            "/dev/null",  # the report is in the store; the log keeps only the summary line
        ],
        "env": _store_env(options),
        "resources": {
            "requests": {"cpu": "500m", "memory": "512Mi", "ephemeral-storage": "64Mi"},
            "limits": {"cpu": "2", "memory": "2Gi", "ephemeral-storage": "256Mi"},
        },
        "securityContext": _container_security(),
        "volumeMounts": [mount],
    }
    return {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {
            "name": "kubeguard-scan",
            "namespace": NAMESPACE,
            "labels": _labels("scanner"),
            "annotations": {
                "ignore.kubeguard.io/WKL010": _SCANNER_TOKEN,
                "ignore.kubeguard.io/SEC006": _SECRET_ENV,
            },
        },
        "spec": {
            "schedule": options.schedule,
            "concurrencyPolicy": "Forbid",
            "startingDeadlineSeconds": 600,
            "successfulJobsHistoryLimit": 3,
            "failedJobsHistoryLimit": 3,
            "jobTemplate": {
                "spec": {
                    "backoffLimit": 2,
                    "activeDeadlineSeconds": 3600,
                    "ttlSecondsAfterFinished": 86400,
                    "template": {
                        "metadata": {"labels": _labels("scanner")},
                        "spec": {
                            "serviceAccountName": SCANNER,
                            "automountServiceAccountToken": True,  # it reads the cluster with this token
                            "restartPolicy": "Never",
                            "securityContext": _pod_security(),
                            "containers": [container],
                            "volumes": [volume],
                        },
                    },
                }
            },
        },
    }


def dashboard(options: FleetOptions) -> list[dict[str, Any]]:
    """The dashboard: its own ServiceAccount without API access, a Deployment serving HTTPS with the
    certificate of ``dashboard_tls_secret``, a ClusterIP Service, and the NetworkPolicy letting
    connections reach it (the namespace denies all ingress otherwise)."""
    volume, mount = _tmp()
    probe = {"httpGet": {"path": "/", "port": DASHBOARD_PORT, "scheme": "HTTPS"}, "periodSeconds": 20}
    container = {
        "name": "dashboard",
        "image": options.image,
        "imagePullPolicy": "Always",
        "args": [
            "dashboard",
            "--host",
            "0.0.0.0",
            "--port",
            str(DASHBOARD_PORT),
            "--tls-cert",
            "/etc/kubeguard/tls/tls.crt",
            "--tls-key",
            "/etc/kubeguard/tls/tls.key",
        ],
        "env": _store_env(options),
        "ports": [{"name": "https", "containerPort": DASHBOARD_PORT}],
        "readinessProbe": probe,
        "livenessProbe": {**probe, "initialDelaySeconds": 10},
        "resources": {
            "requests": {"cpu": "100m", "memory": "256Mi", "ephemeral-storage": "16Mi"},
            "limits": {"cpu": "1", "memory": "1Gi", "ephemeral-storage": "64Mi"},
        },
        "securityContext": _container_security(),
        "volumeMounts": [mount, {"name": "tls", "mountPath": "/etc/kubeguard/tls", "readOnly": True}],
    }
    labels = _labels("dashboard")
    return [
        {
            "apiVersion": "v1",
            "kind": "ServiceAccount",
            "metadata": {"name": DASHBOARD, "namespace": NAMESPACE},
            "automountServiceAccountToken": False,
        },
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {
                "name": DASHBOARD,
                "namespace": NAMESPACE,
                "labels": labels,
                "annotations": {"ignore.kubeguard.io/SEC006": _SECRET_ENV},
            },
            "spec": {
                "replicas": 1,
                "selector": {"matchLabels": labels},
                "template": {
                    "metadata": {"labels": labels},
                    "spec": {
                        "serviceAccountName": DASHBOARD,
                        "automountServiceAccountToken": False,
                        "securityContext": _pod_security(),
                        "containers": [container],
                        "volumes": [
                            volume,
                            {"name": "tls", "secret": {"secretName": options.dashboard_tls_secret}},
                        ],
                    },
                },
            },
        },
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": DASHBOARD, "namespace": NAMESPACE, "labels": labels},
            "spec": {
                "type": "ClusterIP",
                "selector": labels,
                "ports": [{"name": "https", "port": 443, "targetPort": "https"}],
            },
        },
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": {"name": "dashboard-ingress", "namespace": NAMESPACE},
            "spec": {
                "podSelector": {"matchLabels": labels},
                "policyTypes": ["Ingress"],
                # from pods of this namespace and from the cluster's namespaces (an ingress
                # controller, kubectl port-forward arrives through the kubelet): never from outside
                "ingress": [
                    {
                        "from": [{"namespaceSelector": {}}],
                        "ports": [{"protocol": "TCP", "port": DASHBOARD_PORT}],
                    }
                ],
            },
        },
    ]


def fleet_manifests(options: FleetOptions) -> list[dict[str, Any]]:
    """Every object, in the order they apply."""
    docs = [*scanner_rbac(), *resource_policy(), cronjob(options)]
    if options.dashboard:
        docs.extend(dashboard(options))
    return docs


def render(options: FleetOptions) -> str:
    """The manifests as one multi-document YAML stream."""
    head = (
        f"# kubeguard {__version__}: scheduled scans of this cluster into the store named by Secret "
        f"{options.store_secret!r} (key {STORE_KEY!r})\n"
    )
    body = "---\n".join(
        yaml.safe_dump(d, sort_keys=False, default_flow_style=False) for d in fleet_manifests(options)
    )
    return head + body
