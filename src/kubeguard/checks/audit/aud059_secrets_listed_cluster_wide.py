"""Secrets listed across all namespaces.

## What it does
Alerts when someone lists secrets in every namespace at once (`list` on secrets without a
namespace: `kubectl get secrets -A`) and the API server allowed it. Cluster components
(`system:...` users other than service accounts, `kube-system` service accounts such as the
namespace controller, `eks:`/`aks:` users) and users in `audit.clusterSecretListers` (names or
globs; add the operators that watch secrets cluster-wide, such as cert-manager or
external-secrets, which list them when they start) are not alerted on.

## Why it matters
One request returns every credential of the cluster, values included: the fastest secret dump there
is, and rarely needed by a person.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "list",
 "user": {"username": "dev@example.com"}, "requestURI": "/api/v1/secrets?limit=500",
 "objectRef": {"resource": "secrets", "apiVersion": "v1"}, "responseStatus": {"code": 200}}
```

## Fix
Treat every secret as read by that identity: find out why, and rotate what matters if it was not
expected. Grant secret access per namespace instead of cluster-wide.

## References
- https://kubernetes.io/docs/concepts/security/secrets-good-practices/
- MITRE ATT&CK T1552.007 Container API
"""

from __future__ import annotations

from kubeguard.checks.audit._events import who
from kubeguard.checks.audit._principals import is_system_component
from kubeguard.model.audit import AuditEvent
from kubeguard.rules.audit import AuditContext, AuditRule, on
from kubeguard.rules.rule import Severity

LISTERS = "clusterSecretListers"


def check(event: AuditEvent, ctx: AuditContext) -> str | None:
    user = event.user.username
    if event.namespace or "/namespaces/" in event.request_uri.split("?", 1)[0]:
        return None
    if is_system_component(user) or user in ctx.allow_list(LISTERS):
        return None
    return f"{who(event)} listed the secrets of every namespace"


RULE = AuditRule(
    code="AUD059",
    slug="secrets-listed-cluster-wide",
    title="Secrets listed across all namespaces",
    severity=Severity.HIGH,
    on=on(verbs="list", resources="secrets", api_groups=""),
    check=check,
    remediation="Find out why; rotate what matters; grant secret access per namespace.",
    references=("https://kubernetes.io/docs/concepts/security/secrets-good-practices/",),
    compliance={"mitre-attack": ("T1552.007",)},
    aliases=("panther:Kubernetes.Secrets.DumpAllNamespaces",),
)
