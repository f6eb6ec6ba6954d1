"""Exec or attach into a pod.

## What it does
Alerts when someone opens a shell or runs a command in a running container (`pods/exec`) or
attaches to one (`pods/attach`), and the API server let them: `create` (SPDY, older kubectl) or
`get` (WebSocket, kubectl 1.30 and later) on the subresource with a response below 400. The alert
is raised when the session opens (stage `ResponseStarted`), not when it ends. Users in the
`audit.execAllowedUsers` list (names or globs) are not alerted on.

A request the API server refused (403, 404, ...) is no exec: it is reported by AUD002 instead.

The message names the program the request runs (the first `command` parameter), never its
arguments, which may carry credentials.

## Why it matters
Exec is the Kubernetes way to run arbitrary commands in a workload: an intruder with a stolen
credential uses it to read the container's secrets and service account token, or to move
laterally. In production nobody should need it routinely, so each use deserves a look.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseStarted", "verb": "create",
 "user": {"username": "alice@example.com"},
 "requestURI": "/api/v1/namespaces/shop/pods/web-0/exec?command=sh&container=web&stdin=true&tty=true",
 "objectRef": {"resource": "pods", "namespace": "shop", "name": "web-0", "apiVersion": "v1",
               "subresource": "exec"},
 "responseStatus": {"code": 101}}
```

## Fix
Confirm with the user that the session was expected. If not, revoke the credential, look at what
the session could read (the pod's service account token, mounted secrets), and remove `create`/`get`
on `pods/exec` and `pods/attach` from roles that do not need it. Add expected automation to
`audit.execAllowedUsers` in `.kubeguard.yaml`.

## References
- https://kubernetes.io/docs/reference/config-api/apiserver-audit.v1/
- https://kubernetes.io/docs/reference/access-authn-authz/authorization/#determine-the-request-verb
- MITRE ATT&CK T1609 Container Administration Command
"""

from __future__ import annotations

from kubeguard.checks.audit._events import exec_program, who
from kubeguard.model.audit import AuditEvent
from kubeguard.rules.audit import AuditContext, AuditRule, on
from kubeguard.rules.rule import Severity

#: ``.kubeguard.yaml`` ``audit.execAllowedUsers``: users whose exec sessions are expected.
ALLOWED_USERS = "execAllowedUsers"


def check(event: AuditEvent, ctx: AuditContext) -> str | None:
    if event.user.username in ctx.allow_list(ALLOWED_USERS):
        return None
    program = exec_program(event)
    action = "exec into" if event.subresource == "exec" else "attach to"
    where = f"{event.namespace}/{event.name}"
    return f"{who(event)} opened {action} pod {where}" + (f" running {program!r}" if program else "")


RULE = AuditRule(
    code="AUD001",
    slug="exec-into-pod",
    title="Exec or attach into a pod",
    severity=Severity.MEDIUM,
    on=on(verbs=("create", "get"), resources="pods", subresources=("exec", "attach"), api_groups=""),
    check=check,
    remediation="Confirm the session was expected; otherwise revoke the credential and remove "
    "pods/exec and pods/attach from roles that do not need them.",
    references=("https://kubernetes.io/docs/reference/config-api/apiserver-audit.v1/",),
    compliance={"mitre-attack": ("T1609",)},
    aliases=(
        "falco:Attach/Exec Pod",
        "panther:Kubernetes.Pod.Exec",
        "panther:GCP.K8s.ExecIntoPod",
        "panther:Kubernetes.UnauthorizedPodExecution",
    ),
)
