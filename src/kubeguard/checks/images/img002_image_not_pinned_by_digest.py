"""Image not pinned by digest.

## What it does
Flags every container, init container and ephemeral container, and every image volume, whose
image reference has no digest (`@sha256:…`). A tag next to the digest is allowed (`app:1.4.2@sha256:…`): the digest wins.

## Why it matters
Tags can be moved: whoever can push to the repository (or take it over) can change what
`app:1.4.2` means, and nodes pull the new content on their next pull. A digest names the exact
content; it cannot be repointed.

## Example
```yaml
image: registry.example.com/app:1.4.2          # flagged
image: registry.example.com/app:1.4.2@sha256:… # passes
```

## Fix
Resolve the tag to its digest at build or release time (`crane digest`, `docker buildx
imagetools inspect`) and write `image@sha256:…`; tools such as Renovate keep digests current.

## References
- https://kubernetes.io/docs/concepts/containers/images/#image-names
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.checks.images._images import images
from kubeguard.model.workload import Workload
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import WORKLOADS, Rule, Severity, Violation


def check(workload: Workload, ctx: ScanContext) -> Iterator[Violation]:
    for use in images(workload):
        if not use.ref.pinned:
            yield Violation(f"{use.label} image {use.text!r} is not pinned by digest", at=use.at)


RULE = Rule(
    code="IMG002",
    slug="image-not-pinned-by-digest",
    title="Image not pinned by digest",
    severity=Severity.LOW,
    applies_to=WORKLOADS,
    check=check,
    remediation="Reference the image by digest (image@sha256:...).",
    references=("https://kubernetes.io/docs/concepts/containers/images/#image-names",),
)
