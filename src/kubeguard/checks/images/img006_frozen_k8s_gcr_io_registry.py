"""Image from the frozen k8s.gcr.io registry.

## What it does
Flags every container, init container, ephemeral container and image volume whose image comes from
`k8s.gcr.io`, the Kubernetes project's old registry (host compared case-insensitively, with or
without a port), whatever its tag or digest.

## Why it matters
`k8s.gcr.io` was frozen on 3 April 2023: no new images or patch releases are pushed there, so an
image from it never receives fixes for vulnerabilities found since (new releases of the Kubernetes
components, CoreDNS, ingress-nginx, metrics-server and the other project images appear only on
`registry.k8s.io`). Requests to the old name are redirected for now, but the project has said it
may stop serving them, and pulls would then fail.

## Example
```yaml
containers:
  - name: dns
    image: k8s.gcr.io/coredns/coredns:v1.8.6   # flagged
  - name: metrics
    image: registry.k8s.io/metrics-server/metrics-server:v0.7.2   # passes
```

## Fix
Change the host to `registry.k8s.io` (the path stays the same) and move to a current release; in
Helm values and kustomizations, update the image repository settings.

## References
- https://kubernetes.io/blog/2023/02/06/k8s-gcr-io-freeze-announcement/
- https://kubernetes.io/blog/2023/03/10/image-registry-redirect/
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.checks.images._fixes import MOVE_TO_REGISTRY_K8S_IO
from kubeguard.checks.images._images import images
from kubeguard.model.workload import Workload
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import WORKLOADS, Rule, Severity, Violation

FROZEN_HOST = "k8s.gcr.io"


def check(workload: Workload, ctx: ScanContext) -> Iterator[Violation]:
    for use in images(workload):
        if use.ref.registry.partition(":")[0] == FROZEN_HOST:
            path = use.ref.repository
            yield Violation(
                f"{use.label} image {use.text!r} comes from the frozen {FROZEN_HOST} registry, which "
                f"receives no new images or fixes; use registry.k8s.io/{path} at a current release",
                at=use.at,
            )


RULE = Rule(
    code="IMG006",
    slug="frozen-k8s-gcr-io-registry",
    title="Image from the frozen k8s.gcr.io registry",
    severity=Severity.MEDIUM,
    applies_to=WORKLOADS,
    check=check,
    remediation="Pull the image from registry.k8s.io (same path) at a current release.",
    references=("https://kubernetes.io/blog/2023/02/06/k8s-gcr-io-freeze-announcement/",),
    aliases=("kubescape:C-0253",),
    fix=MOVE_TO_REGISTRY_K8S_IO,
)
