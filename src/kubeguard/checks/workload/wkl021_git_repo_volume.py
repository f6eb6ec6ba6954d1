"""gitRepo volume.

## What it does
Flags every `gitRepo` volume of a pod or pod template, pointing at the volume's `gitRepo` field.
The message says what the target Kubernetes version (`--k8s-version`) does with it.

## Why it matters
The kubelet fills a `gitRepo` volume by running `git clone` on the node, as root, outside the
container. Git hooks and configuration inside the cloned repository then run with the node's
privileges: CVE-2024-10220 let anyone who can create a pod run commands on the node this way
(fixed in kubelet v1.28.12, v1.29.7, v1.30.3 and v1.31.0), and CVE-2025-1767, unfixed in every
version, lets it clone local repositories of other pods on the same node. The volume
type has been deprecated for years; from v1.33 the plugin is off by default (feature gate
`GitRepoVolumeDriver`, KEP-5040) and from v1.36 it cannot be turned on, so such pods fail to start.

## Example
```yaml
volumes:
  - name: site
    gitRepo:                           # flagged
      repository: https://github.com/example/site.git
      revision: main
```

## Fix
Clone in an init container (for example with `git-sync --one-time`, or `alpine/git`) into an
`emptyDir` volume that the app container mounts; the clone then runs inside the pod's own
sandbox with its own securityContext.

## References
- https://kubernetes.io/docs/concepts/storage/volumes/#gitrepo
- https://github.com/kubernetes/kubernetes/issues/128885
- https://github.com/kubernetes/kubernetes/issues/130786
- https://github.com/kubernetes/enhancements/issues/5040
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model.workload import Workload
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import WORKLOADS, Rule, Severity, Violation

DISABLED_BY_DEFAULT = 33  # v1.33: GitRepoVolumeDriver off by default
LOCKED_OFF = 36  # v1.36: the gate is locked off


def _consequence(minor: int | None) -> str:
    if minor is None or minor >= LOCKED_OFF:
        return (
            "kubelets from v1.36 refuse it (the pod cannot start); older kubelets clone it on the node "
            "as root, where hooks in the repository run (CVE-2024-10220)"
        )
    if minor >= DISABLED_BY_DEFAULT:
        return (
            "the plugin is off by default from v1.33 (the pod cannot start); where GitRepoVolumeDriver is "
            "enabled the kubelet clones it on the node as root, where hooks in the repository run"
        )
    return "the kubelet clones it on the node as root, where hooks in the repository run (CVE-2024-10220)"


def check(workload: Workload, ctx: ScanContext) -> Iterator[Violation]:
    volumes = workload.spec.get("volumes")
    if not isinstance(volumes, list):
        return
    for i, vol in enumerate(volumes):
        if isinstance(vol, dict) and "gitRepo" in vol:
            name = vol.get("name")
            yield Violation(
                f"volume {str(name)!r} is a gitRepo volume: {_consequence(ctx.options.k8s.minor)}; "
                "clone in an init container into an emptyDir instead",
                at=workload.spec_pointer.join("volumes", i, "gitRepo"),
            )


RULE = Rule(
    code="WKL021",
    slug="git-repo-volume",
    title="gitRepo volume",
    severity=Severity.HIGH,
    applies_to=WORKLOADS,
    check=check,
    remediation="Replace the gitRepo volume by an init container that clones into an emptyDir volume.",
    references=("https://kubernetes.io/docs/concepts/storage/volumes/#gitrepo",),
)
