"""What ``kubeguard audit config`` prints: the API server's webhook kubeconfig and an audit Policy.

The policy is made from the AUD rules themselves: every rule whose ``level`` is ``Request`` (its
check reads the request body) gets its requests logged at that level; everything else is logged at
``Metadata`` by a catch-all last rule, so the rules that only need who/what/outcome see every
request. Credentials never reach the log: ``secrets``, ``configmaps``, ``serviceaccounts/token``
and ``tokenreviews`` stay at ``Metadata`` whatever a rule would like (kubeguard's own CP100 flags a
policy that logs their bodies), ``RequestReceived`` is omitted (each request is logged again when
it completes), and health probes are not logged.

The kubeconfig points the API server at the receiver; credentials are referenced by path
(``tokenFile``, ``client-certificate``/``client-key``, ``certificate-authority``), never printed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

from kubeguard.rules.audit import AuditRule

#: Resources whose bodies are credentials: logged at Metadata only (group, resource).
SENSITIVE = (
    ("", "secrets"),
    ("", "configmaps"),
    ("", "serviceaccounts/token"),
    ("authentication.k8s.io", "tokenreviews"),
)
HEALTH_URLS = ("/healthz*", "/livez*", "/readyz*", "/version")


def audit_policy(rules: Sequence[AuditRule]) -> dict[str, Any]:
    """An ``audit.k8s.io/v1`` Policy recording what ``rules`` need (see the module docstring)."""
    sensitive = set(SENSITIVE)
    body_rules: list[dict[str, Any]] = []
    for level in ("RequestResponse", "Request"):
        verbs: set[str] = set()
        any_verb = False
        by_group: dict[str, set[str]] = {}
        for rule in rules:
            if rule.level != level:
                continue
            on = rule.on
            assert on.api_groups is not None and on.resources is not None  # AuditRule checks it
            if on.verbs is None:
                any_verb = True
            else:
                verbs |= on.verbs
            subs = on.subresources if on.subresources is not None else frozenset({"", "*"})
            for group in on.api_groups:
                for resource in on.resources:
                    for sub in subs:
                        name = f"{resource}/{sub}" if sub else resource
                        if (group, name) not in sensitive and (group, resource) not in sensitive:
                            by_group.setdefault(group, set()).add(name)
        if not by_group:
            continue
        entry: dict[str, Any] = {"level": level}
        if not any_verb:
            entry["verbs"] = sorted(verbs)
        entry["resources"] = [{"group": g, "resources": sorted(r)} for g, r in sorted(by_group.items())]
        body_rules.append(entry)
    groups: dict[str, list[str]] = {}
    for group, resource in SENSITIVE:
        groups.setdefault(group, []).append(resource)
    return {
        "apiVersion": "audit.k8s.io/v1",
        "kind": "Policy",
        "omitStages": ["RequestReceived"],
        "rules": [
            {"level": "None", "nonResourceURLs": list(HEALTH_URLS)},
            {"level": "Metadata", "resources": [{"group": g, "resources": r} for g, r in groups.items()]},
            *body_rules,
            {"level": "Metadata"},
        ],
    }


def webhook_kubeconfig(
    server: str,
    ca_file: str,
    token_file: str | None = None,
    client_cert: str | None = None,
    client_key: str | None = None,
) -> dict[str, Any]:
    """The kubeconfig of ``--audit-webhook-config-file``: the receiver's URL and how to authenticate."""
    user: dict[str, Any] = {}
    if client_cert and client_key:
        user["client-certificate"] = client_cert
        user["client-key"] = client_key
    if token_file or not user:
        user["tokenFile"] = token_file or "/etc/kubernetes/kubeguard/token"
    return {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": "kubeguard", "cluster": {"server": server, "certificate-authority": ca_file}}],
        "users": [{"name": "kube-apiserver", "user": user}],
        "contexts": [{"name": "kubeguard", "context": {"cluster": "kubeguard", "user": "kube-apiserver"}}],
        "current-context": "kubeguard",
    }


def render(kubeconfig: dict[str, Any] | None, policy: dict[str, Any] | None) -> str:
    """Both documents as YAML, each introduced by a comment saying where it goes."""
    parts = []
    if kubeconfig is not None:
        parts.append(
            "# The webhook kubeconfig: save as /etc/kubernetes/kubeguard/audit-webhook.kubeconfig and start\n"
            "# kube-apiserver with --audit-webhook-config-file=<that file> (and --audit-webhook-mode=batch).\n"
            + yaml.safe_dump(kubeconfig, sort_keys=False)
        )
    if policy is not None:
        parts.append(
            "# The audit policy: save as /etc/kubernetes/kubeguard/audit-policy.yaml and start kube-apiserver\n"
            "# with --audit-policy-file=<that file>. It logs what the AUD rules read, never credentials.\n"
            + yaml.safe_dump(policy, sort_keys=False)
        )
    return "---\n".join(parts)
