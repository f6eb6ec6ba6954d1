"""Image not pinned by digest.

## What it does
Flags every container, init container and ephemeral container, and every image volume, whose
image reference has no valid digest. A tag next to the digest is allowed (`app:1.4.2@sha256:…`):
the digest wins. A digest counts only when it is a valid OCI digest of a registered algorithm:
`sha256:` and 64 lower-case hex digits, or `sha512:` and 128. Anything else (`@sha256:abc`,
upper-case hex, `md5:`, `sha384:` or `blake3:`) is flagged as malformed: the kubelet, which parses
references with distribution/reference and go-digest, refuses it (`InvalidImageName`), and it pins
nothing.

## Why it matters
Tags can be moved: whoever can push to the repository (or take it over) can change what
`app:1.4.2` means, and nodes pull the new content on their next pull. A digest names the exact
content; it cannot be repointed.

## Example
```yaml
image: registry.example.com/app:1.4.2          # flagged
image: registry.example.com/app:1.4.2@sha256:… # passes (64 lower-case hex digits)
image: registry.example.com/app@sha256:4C0FDAA8… # flagged: upper-case hex
```

## Fix
Resolve the tag to its digest at build or release time (`crane digest`, `docker buildx
imagetools inspect`) and write `image@sha256:…`; tools such as Renovate keep digests current.

## References
- https://kubernetes.io/docs/concepts/containers/images/#image-names
- https://github.com/opencontainers/image-spec/blob/main/descriptor.md#digests
- https://github.com/distribution/reference/blob/main/reference.go
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.checks.images._fixes import PIN_DIGEST
from kubeguard.checks.images._images import images
from kubeguard.model.workload import Workload
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import WORKLOADS, Rule, Severity, Violation


def check(workload: Workload, ctx: ScanContext) -> Iterator[Violation]:
    for use in images(workload):
        problem = use.ref.digest_problem
        if problem is not None:
            yield Violation(
                f"{use.label} image {use.text!r} has a malformed digest ({problem}): it pins nothing, "
                "and the kubelet refuses the reference",
                at=use.at,
            )
        elif not use.ref.pinned:
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
    fix=PIN_DIGEST,
)
