"""Small builders for Pod Security tests."""

from __future__ import annotations

import copy
from typing import Any

from kubeguard.analyzers.pss import evaluate_pod, parse_version


def pod_spec(**spec: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"containers": [{"name": "app", "image": "nginx:1.27"}]}
    out.update(spec)
    return out


def restricted_ok(**overrides: Any) -> dict[str, Any]:
    """A pod spec that passes restricted at every version."""
    spec: dict[str, Any] = {
        "securityContext": {"runAsNonRoot": True, "seccompProfile": {"type": "RuntimeDefault"}},
        "containers": [
            {
                "name": "app",
                "image": "nginx:1.27",
                "securityContext": {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}},
            }
        ],
    }
    spec = copy.deepcopy(spec)
    spec.update(overrides)
    return spec


def failed(spec: dict[str, Any], level: str, version: str, meta: dict[str, Any] | None = None) -> list[str]:
    """Upstream check ids that fail, in admission order."""
    return [r.check for r in evaluate_pod(spec, meta or {}, level, parse_version(version))]


def messages(spec: dict[str, Any], level: str, version: str, meta: dict[str, Any] | None = None) -> list[str]:
    return [r.message for r in evaluate_pod(spec, meta or {}, level, parse_version(version))]
