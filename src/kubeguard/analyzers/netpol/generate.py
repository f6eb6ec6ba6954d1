"""NetworkPolicies kubeguard writes for you: default deny for a namespace (with a DNS allowance), and
quarantine of a compromised pod for incident response.

NetworkPolicies only ever add allowances: a deny policy cannot take away what another policy selecting
the same pod allows. Quarantine therefore also moves the pod away from the labels other policies
select on, and :func:`quarantine` reports every policy that would still select the pod.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from typing import Any

from kubeguard.model.network import NAMESPACE_NAME_LABEL, NetworkPolicy, PodEndpoint

QUARANTINE_LABEL = "kubeguard.io/quarantine"
DNS_NAMESPACE = "kube-system"
DNS_POD_LABELS = {"k8s-app": "kube-dns"}


def default_deny(namespace: str, dns: bool = True) -> list[dict[str, Any]]:
    """Deny all ingress and egress of every pod in ``namespace``; optionally allow DNS to kube-dns."""
    policies: list[dict[str, Any]] = [
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": {"name": "default-deny-all", "namespace": namespace},
            "spec": {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]},
        }
    ]
    if dns:
        policies.append(
            {
                "apiVersion": "networking.k8s.io/v1",
                "kind": "NetworkPolicy",
                "metadata": {"name": "allow-dns-egress", "namespace": namespace},
                "spec": {
                    "podSelector": {},
                    "policyTypes": ["Egress"],
                    "egress": [
                        {
                            "to": [
                                {
                                    "namespaceSelector": {
                                        "matchLabels": {NAMESPACE_NAME_LABEL: DNS_NAMESPACE}
                                    },
                                    "podSelector": {"matchLabels": dict(DNS_POD_LABELS)},
                                }
                            ],
                            "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}],
                        }
                    ],
                },
            }
        )
    return policies


@dataclass
class Quarantine:
    policy: dict[str, Any]
    commands: list[str]
    warnings: list[str] = field(default_factory=list)


def quarantine_policy(namespace: str, pod: str) -> dict[str, Any]:
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {
            "name": "kubeguard-quarantine",
            "namespace": namespace,
            "annotations": {"kubeguard.io/quarantined": f"{namespace}/{pod}"},
        },
        "spec": {
            "podSelector": {"matchLabels": {QUARANTINE_LABEL: "true"}},
            "policyTypes": ["Ingress", "Egress"],
        },
    }


def quarantine(
    namespace: str,
    pod: str,
    endpoint: PodEndpoint | None = None,
    policies: list[NetworkPolicy] | None = None,
) -> Quarantine:
    """The policy and ``kubectl label`` command that isolate ``namespace/pod``.

    ``endpoint`` is the Pod, or the workload running it: then ``pod`` may be a replica's name
    (``web-7d9f8-x2x9z``) and only that pod is moved, or the workload's name and all its pods are.
    With the ``endpoint`` (from the manifests) the command also removes the pod's labels, so
    policies selecting on them stop applying (and Services and controllers let go of the pod, which
    is kept for forensics). ``policies`` are checked for any that would still select the pod.
    """
    policy = quarantine_policy(namespace, pod)
    q = shlex.quote
    set_label = f"{QUARANTINE_LABEL}=true"
    warnings: list[str] = []
    if endpoint is None:
        cmd = f"kubectl -n {q(namespace)} label pod {q(pod)} {set_label} --overwrite"
        warnings.append(
            "the pod's labels are unknown (give the manifests to remove them): any other policy that "
            "selects the pod keeps allowing what it allows"
        )
        return Quarantine(policy, [cmd], warnings)
    removals = " ".join(q(f"{k}-") for k in sorted(endpoint.labels) if k != QUARANTINE_LABEL)
    if endpoint.kind == "Pod" or pod != endpoint.name:
        # a Pod, or one replica of a workload (named like web-7d9f8-x2x9z): only that pod
        target = f"pod {q(pod)}"
    else:
        sel = ",".join(f"{k}={v}" for k, v in sorted(endpoint.labels.items()))
        target = f"pods -l {q(sel)}" if sel else f"pod {q(pod)}"
        warnings.append(
            f"{pod} is a {endpoint.kind}: the command quarantines every pod it runs; its controller "
            "starts replacements once the labels are gone"
        )
    cmd = f"kubectl -n {q(namespace)} label {target} {set_label} {removals}".rstrip() + " --overwrite"
    after = {QUARANTINE_LABEL: "true"}
    for p in policies or ():
        if (
            p.namespace == namespace
            and p.valid
            and p.name != "kubeguard-quarantine"
            and p.pod_selector.matches(after)
            # only policies that allow something matter; a default deny adds nothing
            and ((p.ingress_isolation and p.ingress) or (p.egress_isolation and p.egress))
        ):
            if p.pod_selector.is_empty:
                what = "selects every pod in the namespace"
            else:
                what = f"selects {{{p.pod_selector}}}"
            warnings.append(
                f"NetworkPolicy {p.key} {what} and still applies to the quarantined pod: "
                "its allowances stay in force (NetworkPolicies only add allowances)"
            )
    return Quarantine(policy, [cmd], warnings)
