"""Credential stored in a ConfigMap.

## What it does
Looks at every value of a ConfigMap's `data`, and at `binaryData` values that decode to text
(binary content such as a keystore is not judged). A value is flagged when it holds a well-known
token format (cloud keys, GitHub/GitLab/Slack/Stripe tokens, private key PEM blocks, JWTs ...), a
URL with an inline password, a `password=`/`token:` style assignment inside a configuration file
(`application.properties`, `config.yaml`, an `.ini` file), or when its key names a credential
(`DB_PASSWORD`, `apiKey`, `client_secret`) and the value is a literal secret.
Placeholders (`changeme`, `${VAR}`, `{{ .Values.x }}`, `<redacted>`), references, plain words and
certificates (public) are not flagged; SOPS-encrypted ConfigMaps and `ENC[...]` values are skipped.
Messages name the key, the line inside a multi-line value, the kind of credential and a redacted hint.

Placeholders of your own are configured with `secrets.placeholders` (see SEC001).

## Why it matters
ConfigMaps are meant for non-confidential data: they are not encrypted at rest, they are readable by
anyone with `get configmaps` (often granted broadly, for example to monitoring tools), and they are
mounted or printed freely. A credential in a ConfigMap is exposed to all of them and to the
repository history.

## Example
```yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: app-config}
data:
  LOG_LEVEL: info                      # fine
  application.properties: |
    spring.datasource.password=P4ss-w0rd-1   # flagged (line 1 of the value)
  DB_PASSWORD: ${DB_PASSWORD}         # fine: a placeholder filled in elsewhere
```

## Fix
Move the credential into a Secret (from a SealedSecret, an ExternalSecret or a SOPS-encrypted file)
and mount it or reference it; keep only the non-secret configuration in the ConfigMap. Rotate the
exposed credential.

## References
- https://kubernetes.io/docs/concepts/configuration/configmap/
- https://kubernetes.io/docs/concepts/security/secrets-good-practices/
- CIS Kubernetes Benchmark 5.4.2 (consider external secret storage)
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.analyzers.secrets.detect import DetectionKeys, scan_named
from kubeguard.analyzers.secrets.objects import decode_base64, safe_alternative
from kubeguard.analyzers.secrets.settings import secret_settings
from kubeguard.model.pointer import Pointer
from kubeguard.model.resource import Resource
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Rule, Severity, Violation, kinds


def check(resource: Resource, ctx: ScanContext) -> Iterator[Violation]:
    cfg = secret_settings(ctx).validated()
    if safe_alternative(resource) is not None:
        return
    keys = DetectionKeys()
    data = resource.raw.get("data")
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, str):
                at = Pointer(("data", str(key)))
                for d in scan_named(str(key), value, cfg.memo):
                    found_key = keys(d, at)
                    if cfg.is_placeholder(d.value):
                        continue
                    yield Violation(f"data key {key!r} holds {d.describe()}", at=at, key=found_key)
    binary = resource.raw.get("binaryData")
    if isinstance(binary, dict):
        for key, value in binary.items():
            if not isinstance(value, str):
                continue
            decoded, _error = decode_base64(value)
            if decoded is None:
                continue
            try:
                text = decoded.decode("utf-8")
            except UnicodeDecodeError:
                continue
            at = Pointer(("binaryData", str(key)))
            for d in scan_named(str(key), text, cfg.memo):
                found_key = keys(d, at)
                if cfg.is_placeholder(d.value):
                    continue
                yield Violation(
                    f"binaryData key {key!r} (base64-decoded) holds {d.describe()}", at=at, key=found_key
                )


RULE = Rule(
    code="SEC002",
    slug="credential-in-configmap",
    title="Credential stored in a ConfigMap",
    severity=Severity.HIGH,
    applies_to=kinds("ConfigMap"),
    check=check,
    remediation=(
        "Move the credential into a Secret (SealedSecret, ExternalSecret or SOPS-encrypted), mount or "
        "reference it, and rotate it."
    ),
    references=(
        "https://kubernetes.io/docs/concepts/configuration/configmap/",
        "https://kubernetes.io/docs/concepts/security/secrets-good-practices/",
    ),
)
