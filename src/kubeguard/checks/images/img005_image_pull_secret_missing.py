"""Image from a private registry without a pull secret.

## What it does
For images from registries that `.kubeguard.yaml` marks as needing a pull secret, checks that the
pod has `imagePullSecrets`, or that its ServiceAccount (named by `serviceAccountName`, `default`
when unset, in the pod's namespace) is in the input and has `imagePullSecrets` (Kubernetes adds
those to every pod that runs as it). Without a list the rule records NOT_APPLICABLE.

```yaml
images:
  requirePullSecret:
    - registry.example.com
    - "*.azurecr.io"
    - ghcr.io/acme                 # registry/path prefix
```

Patterns are read as in `images.allowedRegistries`. Registries that nodes authenticate to by
themselves (a kubelet credential provider for ECR, GCR/Artifact Registry or ACR) should not be
listed.

## Why it matters
Without credentials the pull fails (`ImagePullBackOff`) or, worse, succeeds only on nodes that
still have the image cached, so the workload starts on some nodes and not others; it also means
the registry is readable anonymously if the pull does succeed everywhere.

## Example
```yaml
# requirePullSecret: [registry.example.com]
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.4.2   # flagged: no imagePullSecrets on the pod or its ServiceAccount
```

## Fix
Add `imagePullSecrets` to the pod spec or to its ServiceAccount:
```yaml
imagePullSecrets:
  - name: registry-example-com
```

## References
- https://kubernetes.io/docs/concepts/containers/images/#specifying-imagepullsecrets-on-a-pod
- https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#add-imagepullsecrets-to-a-service-account
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.analyzers.workload.service_accounts import image_pull_secret_names, service_account
from kubeguard.checks.images._images import configured, images, patterns
from kubeguard.model.workload import Workload
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import WORKLOADS, Rule, Severity, Violation

KEY = "requirePullSecret"


def check(workload: Workload, ctx: ScanContext) -> Iterator[Violation]:
    private = patterns(ctx, KEY)
    needing = [use for use in images(workload) if any(use.ref.in_registry(p) for p in private)]
    if not needing:
        return
    pod_secrets, sa_secrets = image_pull_secret_names(workload, ctx)
    if pod_secrets or sa_secrets:
        return
    sa = workload.service_account_name
    sa_note = (
        f"its ServiceAccount {sa!r} has none"
        if service_account(workload, ctx) is not None
        else f"its ServiceAccount {sa!r} is not in the input"
    )
    for use in needing:
        yield Violation(
            f"{use.label} pulls {use.text!r} from private registry {use.ref.registry} but the pod has no "
            f"imagePullSecrets and {sa_note}",
            at=workload.spec_pointer / "imagePullSecrets",
        )


RULE = Rule(
    code="IMG005",
    slug="image-pull-secret-missing",
    title="Image from a private registry without a pull secret",
    severity=Severity.MEDIUM,
    needs=("the workload's ServiceAccount (its imagePullSecrets)",),
    applies_to=WORKLOADS,
    check=check,
    remediation="Add imagePullSecrets to the pod or to its ServiceAccount.",
    references=(
        "https://kubernetes.io/docs/concepts/containers/images/#specifying-imagepullsecrets-on-a-pod",
    ),
    enabled=configured(KEY),
)
