"""API version deprecated (but still served) in the target Kubernetes version.

## What it does
Flags objects whose `apiVersion` the target Kubernetes version still serves but has deprecated,
naming the version it is (or will be) removed in and the replacement, from the Kubernetes
Deprecated API Migration Guide. With `--k8s-version v1.24`, `batch/v1beta1` CronJobs are flagged
here (deprecated in v1.21, removed in v1.25); with `latest` they are WKL019's. Deprecated APIs
that are never removed are flagged too, such as `v1` `Endpoints` (deprecated in v1.33 in favour of
EndpointSlice) and `v1` `ComponentStatus`.

## Why it matters
The API server answers with a deprecation warning today and will reject the manifest after the
removal: migrating now keeps the next cluster upgrade from breaking deployments.

## Example
```yaml
# kubeguard scan --k8s-version v1.24
apiVersion: policy/v1beta1          # flagged: deprecated in v1.21, removed in v1.25, use policy/v1
kind: PodDisruptionBudget
```

## Fix
Change `apiVersion` to the replacement named in the finding.

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
    if change is None or status(change, target_minor(ctx)) != "deprecated":
        return
    removal = (
        f"removed in v1.{change.removed_in}" if change.removed_in is not None else "not scheduled for removal"
    )
    yield Violation(
        f"{resource.kind} {resource.api_version} is deprecated since Kubernetes v1.{change.deprecated_in} "
        f"({removal}; target {target_label(ctx)}): use {change.replacement}",
        at=Pointer(("apiVersion",)),
    )


RULE = Rule(
    code="WKL020",
    slug="deprecated-api-version",
    title="API version deprecated in the target Kubernetes version",
    severity=Severity.LOW,
    applies_to=API_VERSION_KINDS,
    check=check,
    remediation="Move the manifest to the replacement apiVersion named in the finding.",
    references=("https://kubernetes.io/docs/reference/using-api/deprecation-guide/",),
)
