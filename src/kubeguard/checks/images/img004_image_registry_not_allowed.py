"""Image from a registry that is not allowed.

## What it does
Flags containers (init and ephemeral included) and image volumes whose image comes from a
registry outside the allow-list in `.kubeguard.yaml`. Without a list the rule records NOT_APPLICABLE.

```yaml
images:
  allowedRegistries:
    - registry.example.com          # a registry host (port included if it has one)
    - "*.dkr.ecr.eu-west-1.amazonaws.com"   # a host glob
    - ghcr.io/acme                  # a registry/path prefix: ghcr.io/acme/*
    - docker.io/library             # Docker Hub official images only
```

The image is parsed as the runtime reads it: `nginx` is `docker.io/library/nginx`,
`index.docker.io` is `docker.io`, and `registry.local:5000/app` comes from `registry.local:5000`.
An empty list allows nothing.

## Why it matters
Images from arbitrary registries bypass your build pipeline, scanning and signing: a typo-squatted
or hijacked public image runs with your workload's permissions.

## Example
```yaml
# allowedRegistries: [registry.example.com]
image: docker.io/someone/tool:1.0        # flagged
```

## Fix
Mirror the image into an allowed registry (and pin it), or add the registry to the list after a
review.

## References
- https://kubernetes.io/docs/concepts/containers/images/
- https://kubernetes.io/docs/concepts/security/hardening-guide/
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.checks.images._images import configured, images, patterns
from kubeguard.model.workload import Workload
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import WORKLOADS, Rule, Severity, Violation

KEY = "allowedRegistries"


def check(workload: Workload, ctx: ScanContext) -> Iterator[Violation]:
    allowed = patterns(ctx, KEY)
    for use in images(workload):
        if not any(use.ref.in_registry(p) for p in allowed):
            yield Violation(
                f"{use.label} image {use.text!r} comes from {use.ref.name}, not from an allowed registry "
                f"({', '.join(allowed) or 'none allowed'})",
                at=use.at,
            )


RULE = Rule(
    code="IMG004",
    slug="image-registry-not-allowed",
    title="Image from a registry outside the allow-list",
    severity=Severity.HIGH,
    applies_to=WORKLOADS,
    check=check,
    remediation="Use images from the allowed registries only (mirror the image there).",
    references=("https://kubernetes.io/docs/concepts/containers/images/",),
    enabled=configured(KEY),
)
