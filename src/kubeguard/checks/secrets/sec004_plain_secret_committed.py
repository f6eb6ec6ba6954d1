"""Secret committed in plain form.

## What it does
Flags each value of a `kind: Secret` that holds a real secret: `data` values are decoded from
base64 (which is an encoding, not encryption) and `stringData` values are read as they are. Each
finding names the key and what it holds (`TLS private key`, `docker registry credentials for
ghcr.io`, `AWS secret access key`, `password`, `SSH private key`, `service account token` ...)
with a redacted hint, never the value. A `data` value that is not valid base64 gets its own
message: the API server rejects it, and whatever was written is in the manifest as is.

Not flagged:
- SealedSecret (bitnami.com), ExternalSecret (external-secrets.io), SecretProviderClass and the
  Vault operator's kinds: they are other kinds, which keep the secret out of the manifest;
- a Secret encrypted with SOPS (a top-level `sops:` block) and single `ENC[...]` values;
- empty values, placeholders (`changeme`, `<redacted>`, `${PASSWORD}`, `{{ .Values.x }}`) and
  public material (certificates such as `ca.crt`, a service account token's `namespace`). A Secret
  whose values are all empty or placeholders (a template filled in at deploy time) is not flagged.

Placeholders of your own are configured with `secrets.placeholders` (see SEC001).

## Why it matters
Anyone with read access to the repository, its forks, CI logs or backups can decode the value
(`base64 -d`) and use it. Unlike a SealedSecret or a SOPS file, a plain Secret cannot be shared
safely, and removing it later does not remove it from the Git history.

## Example
```yaml
apiVersion: v1
kind: Secret
metadata: {name: db}
type: Opaque
data:
  password: aHVudGVyMi1odW50ZXIy   # flagged: a password, base64 is not encryption
```

## Fix
Commit a SealedSecret or a SOPS-encrypted file instead, or an ExternalSecret that fetches the value
from a secret store (Vault, AWS Secrets Manager, Google Secret Manager, Azure Key Vault). Create
plain Secrets only in the cluster, never in the repository, and rotate any value that was committed.
When scanning a live cluster export, where Secrets are expected, ignore this rule (`--ignore SEC004`).

## References
- https://kubernetes.io/docs/concepts/configuration/secret/
- https://github.com/bitnami-labs/sealed-secrets
- https://external-secrets.io/
- https://github.com/getsops/sops
- CIS Kubernetes Benchmark 5.4.2 (consider external secret storage)
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.analyzers.secrets.detect import with_article
from kubeguard.analyzers.secrets.objects import (
    classify,
    is_empty_or_placeholder,
    safe_alternative,
    secret_values,
)
from kubeguard.analyzers.secrets.settings import secret_settings
from kubeguard.model.redact import hint
from kubeguard.model.resource import Resource
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Rule, Severity, Violation, kinds


def check(resource: Resource, ctx: ScanContext) -> Iterator[Violation]:
    cfg = secret_settings(ctx).validated()
    if resource.group != "" or safe_alternative(resource) is not None:
        return
    secret_type = str(resource.raw.get("type") or "Opaque")
    for value in secret_values(resource):
        if is_empty_or_placeholder(value) or (value.text is not None and cfg.is_placeholder(value.text)):
            continue
        if value.error is not None:
            shown = f"hint: {hint(value.raw)}" if isinstance(value.raw, str) else "not a string"
            yield Violation(
                f"data key {value.key!r} is not valid base64 ({value.error}): the API server rejects it, "
                f"and the value is committed as written ({shown})",
                at=value.pointer,
            )
            continue
        kind = classify(secret_type, value)
        if kind is None:
            continue
        assert value.decoded is not None
        how = "base64 is an encoding, not encryption" if value.field == "data" else "in plain text"
        if kind == "binary data":
            what = f"{len(value.decoded)} bytes of binary data"
        else:
            what = f"{with_article(kind)} (hint: {hint(value.decoded)})"
        yield Violation(f"{value.field} key {value.key!r} holds {what}; {how}", at=value.pointer)


RULE = Rule(
    code="SEC004",
    slug="plain-secret-committed",
    title="Secret committed in plain form",
    severity=Severity.HIGH,
    applies_to=kinds("Secret"),
    check=check,
    remediation=(
        "Commit a SealedSecret, a SOPS-encrypted file or an ExternalSecret instead of the Secret, and rotate "
        "the committed values."
    ),
    references=(
        "https://kubernetes.io/docs/concepts/configuration/secret/",
        "https://github.com/bitnami-labs/sealed-secrets",
        "https://external-secrets.io/",
        "https://github.com/getsops/sops",
    ),
)
