"""Service account created in a kube namespace.

## What it does
Alerts when a service account is created (and accepted) in one of `audit.kubeNamespaces` (default
`kube-system` and `kube-public`) with a name not in `audit.knownServiceAccounts` (names or globs;
default: Falco's `known_sa_list`, the service accounts of the controller manager's controllers and
CoreDNS).

## Why it matters
Service accounts in `kube-system` are often bound to powerful roles and rarely reviewed. An intruder
who creates one there, with a name that looks like a component, gets a long-lived identity that
blends in.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "create",
 "user": {"username": "mallory"},
 "objectRef": {"resource": "serviceaccounts", "namespace": "kube-system", "name": "kube-helper",
               "apiVersion": "v1"},
 "responseStatus": {"code": 201}}
```

## Fix
Delete the service account and its bindings unless expected; add the service accounts of the add-ons
you install there to `audit.knownServiceAccounts`.

## References
- https://kubernetes.io/docs/concepts/security/service-accounts/
- MITRE ATT&CK T1136.001 Create Account: Local Account, T1036.005 Match Legitimate Resource Name or Location
"""

from __future__ import annotations

from kubeguard.checks.audit._events import who
from kubeguard.checks.audit._names import target_name
from kubeguard.checks.audit._pods import KUBE_NAMESPACES
from kubeguard.model.audit import AuditEvent
from kubeguard.rules.audit import AuditContext, AuditRule, on
from kubeguard.rules.rule import Severity

NAMESPACES = "kubeNamespaces"
KNOWN = "knownServiceAccounts"

#: Falco's ``known_sa_list``.
DEFAULT_KNOWN = (
    "coredns",
    "coredns-autoscaler",
    "cronjob-controller",
    "daemon-set-controller",
    "deployment-controller",
    "disruption-controller",
    "endpoint-controller",
    "endpointslice-controller",
    "endpointslicemirroring-controller",
    "generic-garbage-collector",
    "horizontal-pod-autoscaler",
    "job-controller",
    "namespace-controller",
    "node-controller",
    "persistent-volume-binder",
    "pod-garbage-collector",
    "pv-protection-controller",
    "pvc-protection-controller",
    "replicaset-controller",
    "resourcequota-controller",
    "root-ca-cert-publisher",
    "service-account-controller",
    "statefulset-controller",
)


def check(event: AuditEvent, ctx: AuditContext) -> str | None:
    if event.namespace not in ctx.allow_list(NAMESPACES, KUBE_NAMESPACES):
        return None
    name = target_name(event)
    if name in ctx.allow_list(KNOWN, DEFAULT_KNOWN):
        return None
    return f"{who(event)} created service account {event.namespace}/{name or '(unnamed)'} in a kube namespace"


RULE = AuditRule(
    code="AUD017",
    slug="serviceaccount-in-kube-namespace",
    title="Service account created in a kube namespace",
    severity=Severity.MEDIUM,
    on=on(verbs="create", resources="serviceaccounts", api_groups=""),
    check=check,
    remediation="Delete unexpected service accounts and their bindings; list add-ons' accounts in "
    "audit.knownServiceAccounts.",
    references=("https://kubernetes.io/docs/concepts/security/service-accounts/",),
    compliance={"mitre-attack": ("T1136.001", "T1036.005")},
    aliases=("falco:Service Account Created in Kube Namespace",),
)
