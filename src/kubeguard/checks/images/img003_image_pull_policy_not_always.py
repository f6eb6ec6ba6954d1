"""Mutable image tag pulled with a policy other than `Always`.

## What it does
Flags containers (init and ephemeral included) whose image is referenced by a tag, not a digest,
and whose effective `imagePullPolicy` is not `Always`; image volumes likewise with their
`pullPolicy` (same defaults). The effective policy is the one written,
else the Kubernetes default: `Always` when the tag is `latest` or missing, `IfNotPresent` for any
other tag. So `nginx:latest` with no policy passes (Kubernetes pulls it every time), while
`nginx:latest` with `imagePullPolicy: IfNotPresent` and `nginx:1.27` with no policy are flagged.
Images pinned by digest pass whatever the policy: their content cannot change. A reference with a
malformed digest is left to IMG002: the kubelet refuses it, so no policy applies.

## Why it matters
A tag can be moved. With `IfNotPresent` or `Never`, a node keeps running whatever it pulled first
under that tag, so pods of one workload run different content on different nodes, and a fixed
image is not picked up. A pod may also start from an image already cached on the node without
presenting the pull secret that the registry would have demanded.

## Example
```yaml
containers:
  - name: app
    image: registry.example.com/app:1.4.2     # flagged: defaults to IfNotPresent
```

## Fix
Pin the image by digest, or set `imagePullPolicy: Always` (pulls are cheap when the layers are
cached: only the manifest is fetched).

## References
- https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy
- https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#alwayspullimages
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.checks.images._fixes import PULL_ALWAYS
from kubeguard.checks.images._images import images
from kubeguard.model.workload import Workload
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import WORKLOADS, Rule, Severity, Violation


def check(workload: Workload, ctx: ScanContext) -> Iterator[Violation]:
    for use in images(workload):
        if use.ref.pinned or use.ref.digest_problem is not None:
            continue
        written = use.policy
        policy = written if written else use.ref.default_pull_policy()
        if policy == "Always":
            continue
        how = f"pull policy {policy}" if written else f"the default pull policy {policy}"
        yield Violation(
            f"{use.label} pulls mutable tag {use.text!r} with {how}: nodes may run stale content",
            at=use.policy_at,
        )


RULE = Rule(
    code="IMG003",
    slug="image-pull-policy-not-always",
    title="Mutable image tag not pulled with imagePullPolicy Always",
    severity=Severity.LOW,
    applies_to=WORKLOADS,
    check=check,
    remediation="Pin the image by digest or set imagePullPolicy: Always.",
    references=("https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy",),
    fix=PULL_ALWAYS,
)
