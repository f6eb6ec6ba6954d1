"""Tiller (Helm v2) deployed.

## What it does
Flags every container whose image is Tiller, the in-cluster server of Helm v2: an image whose
repository ends in `/tiller` (`gcr.io/kubernetes-helm/tiller`, `ghcr.io/helm/tiller` and their
mirrors), from any registry.

## Why it matters
Helm v2 reached its end of life in November 2020 and gets no security fixes. Tiller usually runs
with a cluster-admin service account and serves an unauthenticated gRPC API on port 44134 to every
pod of the cluster: any workload (or anyone who can reach the port) can ask it to install a chart
that creates privileged pods or reads every Secret, which makes Tiller a cluster-admin escalation for
the whole cluster. Helm v3 removed Tiller and acts with the caller's own credentials.

## Example
```yaml
containers:
  - name: tiller
    image: gcr.io/kubernetes-helm/tiller:v2.16.12   # flagged
```

## Fix
Migrate releases to Helm v3 (`helm 2to3 convert`), then delete the Tiller Deployment, its Service
(`tiller-deploy`) and its service account and binding.

## References
- https://helm.sh/blog/helm-v2-deprecation-timeline/
- https://helm.sh/docs/topics/v2_v3_migration/
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.analyzers.workload.containers import describe
from kubeguard.model.image import parse_image
from kubeguard.model.workload import Workload
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import WORKLOADS, Rule, Severity, Violation


def check(workload: Workload, ctx: ScanContext) -> Iterator[Violation]:
    for c in workload.containers():
        ref = parse_image(c.image) if c.image else None
        if ref is not None and ref.repository.rpartition("/")[2] == "tiller":
            yield Violation(
                f"{describe(c)} runs Tiller ({c.image!r}), the end-of-life Helm v2 server: its "
                "unauthenticated gRPC API lets any pod deploy with Tiller's (usually cluster-admin) rights",
                at=c.pointer / "image",
            )


RULE = Rule(
    code="WKL022",
    slug="helm-v2-tiller",
    title="Tiller (Helm v2) deployed",
    severity=Severity.HIGH,
    applies_to=WORKLOADS,
    check=check,
    remediation="Migrate to Helm v3 and remove the Tiller Deployment, Service and service account.",
    references=("https://helm.sh/blog/helm-v2-deprecation-timeline/",),
    aliases=("checkov:CKV_K8S_34", "terrascan:AC-K8-NS-SE-M-0185"),
)
