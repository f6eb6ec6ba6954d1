"""Image uses the `latest` tag or no tag.

## What it does
Flags every container, init container and ephemeral container, and every image volume, whose
image has no tag or the tag `latest`, and no digest. A digest pins the image whatever the tag says (`nginx:latest@sha256:…`
is pinned and passes); `nginx` means `docker.io/library/nginx:latest`.

## Why it matters
`latest` is whatever was pushed last: two pods of one Deployment can run different code, a
rollback cannot return to the previous version, and a compromised or broken push reaches
production on the next restart without any change to the manifest.

## Example
```yaml
containers:
  - name: app
    image: nginx               # flagged: means nginx:latest
```

## Fix
Use an explicit version tag (`nginx:1.27.3`), or better a digest (`nginx@sha256:…`).

## References
- https://kubernetes.io/docs/concepts/containers/images/#image-names
- https://kubernetes.io/docs/concepts/configuration/overview/#container-images
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
        if use.ref.latest_or_untagged:
            what = "the tag 'latest'" if use.ref.tag else "no tag (so 'latest')"
            yield Violation(f"{use.label} uses image {use.text!r} with {what}", at=use.at)


RULE = Rule(
    code="IMG001",
    slug="image-tag-latest-or-missing",
    title="Image uses the latest tag or no tag",
    severity=Severity.MEDIUM,
    applies_to=WORKLOADS,
    check=check,
    remediation="Pin the image to a version tag or, better, a digest.",
    references=("https://kubernetes.io/docs/concepts/containers/images/#image-names",),
    fix=PIN_DIGEST,
)
