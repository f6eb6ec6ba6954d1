"""Credential in an annotation.

## What it does
Looks at the annotations of every object, and at the pod template annotations of workloads, with
the same detectors as the other credential rules: well-known token formats, URLs with an inline
password, `password=`-style assignments (also inside JSON values), and annotation keys that name
a credential (`example.com/api-token`) holding a literal value. Placeholders (`"true"`, `${VAR}`,
`{{ ... }}`), references and hashes (`checksum/config`) are not flagged. kubeguard's own
annotations (`ignore.kubeguard.io/*`) are not judged.

`kubectl.kubernetes.io/last-applied-configuration` holds a JSON copy of the whole object. To avoid
counting the same credential twice, a credential in that copy is flagged only when the object
itself no longer holds it at the time of the scan (the copy keeps a value that was removed from the
live object): a credential still present in the object is left to the rule that judges its field
(SEC001, SEC002, SEC004). SealedSecrets, ExternalSecrets and SOPS-encrypted objects are not judged.

Placeholders of your own are configured with `secrets.placeholders` (see SEC001).

## Why it matters
Annotations are returned with every read of the object (`get`, `list`, `watch`), copied by tools
(Helm, Argo CD, kubectl), printed by `kubectl describe` and indexed by dashboards. A credential
there is readable by anyone who can read the object and lives on in the repository history.

## Example
```yaml
metadata:
  annotations:
    checksum/config: 2b7e...e1             # fine: a hash
    monitoring.example.com/api-token: "glpat-..."   # flagged
```

## Fix
Keep credentials out of annotations: store them in a Secret (SealedSecret, ExternalSecret, SOPS)
and let the consumer read the Secret. For a stale copy in `last-applied-configuration`, re-apply
the object (or use server-side apply, which does not write that annotation) and rotate the credential.

## References
- https://kubernetes.io/docs/concepts/overview/working-with-objects/annotations/
- https://kubernetes.io/docs/concepts/security/secrets-good-practices/
- CIS Kubernetes Benchmark 5.4.2 (consider external secret storage)
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from kubeguard.analyzers.secrets.detect import MIN_LENGTH, DetectionKeys, scan_named
from kubeguard.analyzers.secrets.objects import safe_alternative, secret_values
from kubeguard.analyzers.secrets.settings import SecretSettings, secret_settings
from kubeguard.analyzers.secrets.structure import scan_structure, string_leaves
from kubeguard.checks.secrets._common import LAST_APPLIED, OWN_ANNOTATION_PREFIXES
from kubeguard.model.pointer import Pointer
from kubeguard.model.resource import Resource
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import ALL_RESOURCES, Rule, Severity, Violation


def _last_applied(
    resource: Resource, text: str, at: Pointer, cfg: SecretSettings, keys: DetectionKeys
) -> Iterator[Violation]:
    try:
        copy: Any = json.loads(text)
    except (ValueError, RecursionError):
        return
    found = list(scan_structure(copy, memo=cfg.memo))
    if not found:
        return
    live = [s for s in string_leaves(resource.raw, skip=text) if len(s) >= 6]
    if resource.kind == "Secret":  # applied as stringData, read back as base64 data
        live.extend(t for v in secret_values(resource) if (t := v.text))
    for path, d in found:
        key = keys(d, (at, path))
        if cfg.is_placeholder(d.value) or any(d.value in s for s in live):
            continue  # still in the object: its own field is judged by the rule for that field
        yield Violation(
            f"annotation {LAST_APPLIED!r} keeps an earlier copy of the object with {d.describe()} at "
            f"{path or 'the top level'}, no longer in the object itself",
            at=at,
            key=f"{path} {key}" if path else key,
        )


def _annotations(
    annotations: Any, at: Pointer, resource: Resource, cfg: SecretSettings, keys: DetectionKeys
) -> Iterator[Violation]:
    if not isinstance(annotations, dict):
        return
    for key, value in annotations.items():
        if (
            not isinstance(value, str)
            or len(value) < MIN_LENGTH
            or str(key).startswith(OWN_ANNOTATION_PREFIXES)
        ):
            continue
        ptr = at / str(key)
        if key == LAST_APPLIED:
            yield from _last_applied(resource, value, ptr, cfg, keys)
            continue
        for d in scan_named(str(key), value, cfg.memo):
            found_key = keys(d, ptr)
            if cfg.is_placeholder(d.value):
                continue
            yield Violation(f"annotation {key!r} holds {d.describe()}", at=ptr, key=found_key)


def check(resource: Resource, ctx: ScanContext) -> Iterator[Violation]:
    cfg = secret_settings(ctx).validated()
    metadata = resource.raw.get("metadata")
    own = metadata.get("annotations") if isinstance(metadata, dict) else None
    workload = resource.workload
    template = (
        workload.meta.get("annotations") if workload is not None and workload.meta is not metadata else None
    )
    if not own and not template:
        return
    if safe_alternative(resource) is not None:
        return
    keys = DetectionKeys()
    if own:
        yield from _annotations(own, Pointer(("metadata", "annotations")), resource, cfg, keys)
    if template and workload is not None:
        yield from _annotations(template, workload.meta_pointer / "annotations", resource, cfg, keys)


RULE = Rule(
    code="SEC003",
    slug="credential-in-annotation",
    title="Credential in an annotation",
    severity=Severity.HIGH,
    applies_to=ALL_RESOURCES,
    check=check,
    remediation=(
        "Remove the credential from the annotation, keep it in a Secret (SealedSecret, ExternalSecret or "
        "SOPS-encrypted) and rotate it."
    ),
    references=(
        "https://kubernetes.io/docs/concepts/overview/working-with-objects/annotations/",
        "https://kubernetes.io/docs/concepts/security/secrets-good-practices/",
    ),
)
