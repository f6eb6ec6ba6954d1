"""API version removed in the target Kubernetes version.

## What it does
Flags objects whose `apiVersion` is no longer served by the target Kubernetes version, naming the
version it was removed in and the replacement, from the Kubernetes Deprecated API Migration
Guide: for example `extensions/v1beta1` Deployments (removed in v1.16), `networking.k8s.io/v1beta1`
Ingress (v1.22), `batch/v1beta1` CronJob and `policy/v1beta1` PodSecurityPolicy (v1.25),
`autoscaling/v2beta2` HorizontalPodAutoscaler (v1.26), `flowcontrol.apiserver.k8s.io/v1beta3`
(v1.32). The target is `kubeguard scan --k8s-version` (`latest` by default, or `v1.N`).
API versions that the target still serves but has deprecated are WKL020's.

## Why it matters
The API server rejects these manifests: `kubectl apply` fails, and a Helm upgrade or GitOps sync
stops at the first of them. Upgrading a cluster past the removal breaks every pipeline that still
ships them.

## Example
```yaml
apiVersion: extensions/v1beta1     # flagged: removed in v1.16, use apps/v1
kind: Deployment
```

## Fix
Change `apiVersion` to the replacement and apply the notable field changes the migration guide
lists (`kubectl convert` can rewrite a file).

## References
- https://kubernetes.io/docs/reference/using-api/deprecation-guide/
- https://kubernetes.io/docs/reference/using-api/deprecation-policy/
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.checks.workload._api_versions import (
    API_VERSION_KINDS,
    CHANGES,
    status,
    target_label,
    target_minor,
)
from kubeguard.model.pointer import Pointer
from kubeguard.model.resource import Resource
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Rule, Severity, Violation


def check(resource: Resource, ctx: ScanContext) -> Iterator[Violation]:
    change = CHANGES.get((resource.api_version, resource.kind))
    if change is None or status(change, target_minor(ctx)) != "removed":
        return
    yield Violation(
        f"{resource.kind} {resource.api_version} was removed in Kubernetes v1.{change.removed_in} and is not "
        f"served by {target_label(ctx)}: use {change.replacement}",
        at=Pointer(("apiVersion",)),
    )


RULE = Rule(
    code="WKL019",
    slug="removed-api-version",
    title="API version removed in the target Kubernetes version",
    severity=Severity.HIGH,
    applies_to=API_VERSION_KINDS,
    check=check,
    remediation="Move the manifest to the replacement apiVersion named in the finding.",
    references=("https://kubernetes.io/docs/reference/using-api/deprecation-guide/",),
)
