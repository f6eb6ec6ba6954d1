"""Service account token read through exec.

## What it does
Alerts when an exec into a pod (accepted) runs a command that names a service account token's
location: `/var/run/secrets/kubernetes.io/serviceaccount` (and its `/run` spelling), the workload
identity tokens of EKS (`/var/run/secrets/eks.amazonaws.com/serviceaccount`), AKS
(`/var/run/secrets/azure/tokens`) and GKE (`/var/run/secrets/tokens/gcp-ksa`), or any path ending
in `serviceaccount/token`. The URI's command parameters are decoded before matching, so
`cat%20/var/run/...` inside `sh -c` is found too.

## Why it matters
`kubectl exec POD -- cat /var/run/secrets/kubernetes.io/serviceaccount/token` turns access to a pod
into the pod's identity, usable from outside the cluster (AUD050 sees it used from there).

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseStarted", "verb": "create",
 "user": {"username": "mallory"},
 "requestURI": "/api/v1/namespaces/shop/pods/web-0/exec?command=cat&command=%2Fvar%2Frun%2Fsecrets%2Fkubernetes.io%2Fserviceaccount%2Ftoken&container=web&stdout=true",
 "objectRef": {"resource": "pods", "namespace": "shop", "name": "web-0", "subresource": "exec",
               "apiVersion": "v1"},
 "responseStatus": {"code": 101}}
```

## Fix
Treat the pod's token as stolen: delete the pod (a bound token dies with it), review what the
service account did since, and remove `pods/exec` from roles that do not need it.

## References
- https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/
- MITRE ATT&CK T1528 Steal Application Access Token
"""

from __future__ import annotations

from kubeguard.checks.audit._events import who
from kubeguard.checks.audit._exec import exec_command, program
from kubeguard.model.audit import AuditEvent
from kubeguard.rules.audit import AuditContext, AuditRule, on
from kubeguard.rules.rule import Severity

#: Where Kubernetes and the managed clouds' workload identity put tokens (Panther's list).
TOKEN_PATHS = (
    "/var/run/secrets/kubernetes.io/serviceaccount",
    "/run/secrets/kubernetes.io/serviceaccount",
    "/var/run/secrets/eks.amazonaws.com/serviceaccount",
    "/var/run/secrets/azure/tokens",
    "/var/run/secrets/tokens/gcp-ksa",
    "serviceaccount/token",
)


def check(event: AuditEvent, ctx: AuditContext) -> str | None:
    command = exec_command(event)
    text = "\n".join(command).lower()
    matched = {p for p in TOKEN_PATHS if p in text}
    # Name each location once: the /run spelling is inside the /var/run one, and the generic
    # "serviceaccount/token" is only worth naming when no known directory matched.
    found = sorted(p for p in matched if not any(p != q and p in q for q in matched))
    if len(found) > 1 and "serviceaccount/token" in found:
        found.remove("serviceaccount/token")
    if not found:
        return None
    return (
        f"{who(event)} ran {program(command)!r} in pod {event.namespace}/{event.name} reading "
        + ", ".join(found)
    )


RULE = AuditRule(
    code="AUD061",
    slug="exec-reads-token",
    title="Service account token read through exec",
    severity=Severity.HIGH,
    on=on(verbs=("create", "get"), resources="pods", subresources="exec", api_groups=""),
    check=check,
    remediation="Treat the pod's token as stolen: delete the pod and review the service account's activity.",
    references=("https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/",),
    compliance={"mitre-attack": ("T1528",)},
    aliases=("panther:Kubernetes.Pod.StealServiceAccountToken",),
)
