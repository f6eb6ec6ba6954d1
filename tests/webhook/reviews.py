"""AdmissionReview bodies for the webhook tests."""

from __future__ import annotations

import copy
import json
from typing import Any

from kubeguard.api import select
from kubeguard.loading.config import parse_config
from kubeguard.webhook.policy import AdmissionPolicy
from kubeguard.webhook.review import Judge, Request, parse_review


def review(
    obj: Any,
    *,
    operation: str = "CREATE",
    namespace: str | None = "shop",
    old: Any = None,
    username: str = "alice",
    uid: str = "0d5bd4a1-0000-4000-8000-000000000001",
    dry_run: bool = False,
    sub_resource: str | None = None,
) -> dict[str, Any]:
    subject = obj if isinstance(obj, dict) else old if isinstance(old, dict) else {}
    md = subject.get("metadata") or {}
    request: dict[str, Any] = {
        "uid": uid,
        "kind": {"group": "", "version": "v1", "kind": subject.get("kind", "")},
        "operation": operation,
        "name": md.get("name", ""),
        "userInfo": {"username": username, "groups": ["system:authenticated"]},
        "object": obj,
        "oldObject": old,
        "dryRun": dry_run,
    }
    if namespace is not None:
        request["namespace"] = namespace
    if sub_resource:
        request["subResource"] = sub_resource
    return {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": request}


def body(obj: Any, **kwargs: Any) -> bytes:
    return json.dumps(review(obj, **kwargs)).encode()


def request(obj: Any, **kwargs: Any) -> Request:
    return parse_review(body(obj, **kwargs))


def judge(config: dict[str, Any] | None = None, *, on_error: str = "deny", **policy: Any) -> Judge:
    cfg = parse_config(config)
    return Judge(select(), cfg, AdmissionPolicy(cfg, **policy), on_error=on_error)


def pod(name: str = "web", namespace: str = "shop", **security: Any) -> dict[str, Any]:
    """A Pod that passes every admission rule, or fails where ``security`` changes its container's securityContext."""
    container: dict[str, Any] = {
        "name": "app",
        "image": "registry.example/app@sha256:" + "a" * 64,
        "securityContext": {
            "allowPrivilegeEscalation": False,
            "readOnlyRootFilesystem": True,
            "runAsNonRoot": True,
            "runAsUser": 10001,
            "runAsGroup": 10001,
            "capabilities": {"drop": ["ALL"]},
            "seccompProfile": {"type": "RuntimeDefault"},
            **security,
        },
        "resources": {
            "requests": {"cpu": "100m", "memory": "64Mi", "ephemeral-storage": "100Mi"},
            "limits": {"cpu": "1", "memory": "128Mi", "ephemeral-storage": "1Gi"},
        },
        "livenessProbe": {"httpGet": {"path": "/healthz", "port": 8080}},
        "readinessProbe": {"httpGet": {"path": "/readyz", "port": 8080}},
    }
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace, "labels": {"app": name}},
        "spec": {
            "serviceAccountName": "web",
            "automountServiceAccountToken": False,
            "securityContext": {"seccompProfile": {"type": "RuntimeDefault"}},
            "containers": [container],
        },
    }


def deployment(name: str = "web", namespace: str = "shop", **security: Any) -> dict[str, Any]:
    template = pod(name, namespace, **security)
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": {"app": name}},
            "template": {"metadata": {"labels": {"app": name}}, "spec": copy.deepcopy(template["spec"])},
        },
    }
