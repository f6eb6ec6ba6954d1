"""ingress-nginx snippet annotations allowed or used.

## What it does
Flags an Ingress with an ingress-nginx snippet annotation (`nginx.ingress.kubernetes.io/` and a
name ending in `-snippet`: `configuration-snippet`, `server-snippet`, `auth-snippet`,
`stream-snippet`, `modsecurity-snippet`), pointing at each annotation, and a ConfigMap that turns
them on for the controller with `allow-snippet-annotations` set to true (any spelling Go's
`strconv.ParseBool` reads as true: `true`, `True`, `TRUE`, `t`, `T`, `1`).

## Why it matters
A snippet is copied verbatim into the controller's nginx configuration. Anyone who may create or
edit an Ingress in any namespace can therefore make the controller run their configuration, read
files of the controller pod, including its service account token, which can read every Secret of
the cluster (CVE-2021-25742), or reach internal services through it. ingress-nginx made
`allow-snippet-annotations` default to false in controller v1.9.0 (before, snippets were allowed
unless the ConfigMap said otherwise); from v1.12.0 snippets also need `annotations-risk-level:
Critical`, since that default went from `Critical` to `High`. A ConfigMap setting
`allow-snippet-annotations` to true is flagged whatever the risk level, because it suffices on
controllers before v1.12 and is half of the switch on later ones.

## Example
```yaml
kind: Ingress
metadata:
  annotations:
    nginx.ingress.kubernetes.io/configuration-snippet: |   # flagged
      more_set_headers "X-Frame-Options: DENY";
---
kind: ConfigMap
metadata: {name: ingress-nginx-controller}
data:
  allow-snippet-annotations: "true"                          # flagged
```

## Fix
Set `allow-snippet-annotations: "false"` (the default since v1.9.0) and express the settings with
the dedicated annotations (headers, CORS, rate limits) or in the controller's own ConfigMap, which
only administrators edit.

## References
- https://github.com/kubernetes/ingress-nginx/issues/7837
- https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/configmap/#allow-snippet-annotations
- https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations-risk/
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.checks.network._ingress import ingress_spec
from kubeguard.model.pointer import Pointer
from kubeguard.model.resource import Resource
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Rule, Severity, Violation, kinds

PREFIX = "nginx.ingress.kubernetes.io/"
ALLOW_KEY = "allow-snippet-annotations"
#: What Go's strconv.ParseBool reads as true (the controller parses the ConfigMap value with it).
_GO_TRUE = frozenset({"1", "t", "T", "TRUE", "true", "True"})


def check(resource: Resource, ctx: ScanContext) -> Iterator[Violation]:
    if resource.kind == "ConfigMap":
        if resource.group != "":
            return
        data = resource.raw.get("data")
        value = data.get(ALLOW_KEY) if isinstance(data, dict) else None
        if isinstance(value, str) and value in _GO_TRUE:
            yield Violation(
                f"ConfigMap sets {ALLOW_KEY}: {value!r}: if it configures ingress-nginx, every Ingress "
                "author can inject nginx configuration into the controller",
                at=Pointer(("data", ALLOW_KEY)),
            )
        return
    if ingress_spec(resource) is None:
        return
    for key in resource.annotations:
        name = str(key)
        if name.startswith(PREFIX) and name.endswith("-snippet"):
            yield Violation(
                f"annotation {name} injects raw nginx configuration into the ingress-nginx controller",
                at=Pointer(("metadata", "annotations", name)),
            )


RULE = Rule(
    code="NET017",
    slug="ingress-nginx-snippet-annotations",
    title="ingress-nginx snippet annotations allowed or used",
    severity=Severity.HIGH,
    applies_to=kinds("ConfigMap", "Ingress"),
    check=check,
    remediation='Set allow-snippet-annotations: "false" in the controller ConfigMap and drop *-snippet annotations.',
    references=("https://github.com/kubernetes/ingress-nginx/issues/7837",),
    aliases=("kubescape:C-0059",),
)
