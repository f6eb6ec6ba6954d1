"""NodePort service created.

## What it does
Alerts when a service is created, replaced or patched (and the API server accepted it) with
`spec.type: NodePort`, unless the service (`namespace/name`, globs allowed) is in
`audit.nodePortServices` (default: none, as Falco's `user_known_node_port_service`). Falco looks at
creation only; a service changed to NodePort later opens the same ports, so kubeguard looks at
updates and patches that set the type too.

## Why it matters
A NodePort service opens a port on every node of the cluster, often reachable from outside the
cluster's network controls: it is a quick way to expose a backdoor or an internal service.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "create",
 "user": {"username": "dev@example.com"},
 "objectRef": {"resource": "services", "namespace": "shop", "name": "db", "apiVersion": "v1"},
 "responseStatus": {"code": 201},
 "requestObject": {"kind": "Service", "spec": {"type": "NodePort",
   "ports": [{"port": 5432, "nodePort": 30432}]}}}
```

## Fix
Use a ClusterIP service behind an ingress or a load balancer with source ranges instead, or list the
service in `audit.nodePortServices` when it is expected.

## References
- https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport
- MITRE ATT&CK T1133 External Remote Services
"""

from __future__ import annotations

from kubeguard.checks.audit._events import object_name, who
from kubeguard.model.audit import AuditEvent
from kubeguard.rules.audit import AuditContext, AuditRule, on
from kubeguard.rules.rule import Severity

ALLOWED_SERVICES = "nodePortServices"


def check(event: AuditEvent, ctx: AuditContext) -> str | None:
    obj = event.request_object
    spec = obj.get("spec") if isinstance(obj, dict) else None
    if not isinstance(spec, dict) or spec.get("type") != "NodePort":
        return None
    name = object_name(event)
    if name in ctx.allow_list(ALLOWED_SERVICES):
        return None
    ports = spec.get("ports")
    node_ports = [
        str(p["nodePort"])
        for p in (ports if isinstance(ports, list) else [])
        if isinstance(p, dict) and "nodePort" in p
    ]
    opened = f" (node ports {', '.join(node_ports)})" if node_ports else ""
    action = "created" if event.verb == "create" else "changed"
    return f"{who(event)} {action} NodePort service {name}{opened}"


RULE = AuditRule(
    code="AUD010",
    slug="nodeport-service-created",
    title="NodePort service created",
    severity=Severity.MEDIUM,
    on=on(verbs=("create", "update", "patch"), resources="services", api_groups=""),
    check=check,
    remediation="Use ClusterIP behind an ingress or a load balancer; list expected services in audit.nodePortServices.",
    references=("https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport",),
    compliance={"mitre-attack": ("T1133",)},
    aliases=(
        "falco:Create NodePort Service",
        "panther:Kubernetes.Service.NodePort.Deployed",
        "panther:GCP.K8S.Service.Type.NodePort.Deployed",
        "panther:Kubernetes.ServiceTypeNodePortDeployed",
    ),
)
