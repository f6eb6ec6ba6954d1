"""``kind: Secret`` objects as committed: their values decoded and named, and the encrypted
alternatives (SealedSecret, ExternalSecret, SOPS) recognized.

A Secret's ``data`` is base64, which is an encoding, not encryption: a Secret committed with real
values is a credential in plain form. Values are decoded as the API server decodes them (standard
base64 with padding; line breaks ignored); a value that does not decode is reported as such.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from kubeguard.analyzers.secrets.detect import (
    credential_kind_for_name,
    is_literal_secret,
    is_placeholder,
    is_templated,
    scan_named,
    scan_text,
)
from kubeguard.model.pointer import Pointer
from kubeguard.model.resource import Resource

SERVICE_ACCOUNT_TOKEN_TYPE = "kubernetes.io/service-account-token"

#: Kinds that keep secrets out of the manifest: encrypted (SealedSecret) or fetched from a store.
SAFE_KINDS: dict[str, frozenset[str]] = {
    "bitnami.com": frozenset({"SealedSecret"}),
    "external-secrets.io": frozenset(
        {"ExternalSecret", "ClusterExternalSecret", "PushSecret", "SecretStore", "ClusterSecretStore"}
    ),
    "secrets-store.csi.x-k8s.io": frozenset({"SecretProviderClass"}),
    "secrets.hashicorp.com": frozenset({"VaultStaticSecret", "VaultDynamicSecret", "VaultPKISecret"}),
}

_SOPS_KEYS = frozenset(
    {
        "mac",
        "lastmodified",
        "version",
        "age",
        "pgp",
        "kms",
        "gcp_kms",
        "azure_kv",
        "hc_vault",
        "encrypted_regex",
        "encrypted_suffix",
        "unencrypted_suffix",
        "unencrypted_regex",
    }
)


def is_sops_encrypted(raw: dict[str, Any]) -> bool:
    """A file encrypted with SOPS: a top-level ``sops:`` block with SOPS metadata."""
    sops = raw.get("sops")
    return isinstance(sops, dict) and any(k in sops for k in _SOPS_KEYS)


def is_sops_value(value: object) -> bool:
    return isinstance(value, str) and value.startswith("ENC[") and value.rstrip().endswith("]")


def safe_alternative(resource: Resource) -> str | None:
    """``SealedSecret``, ``ExternalSecret``, ... or ``SOPS-encrypted`` when the object keeps its
    secrets out of the manifest; ``None`` otherwise."""
    if resource.kind in SAFE_KINDS.get(resource.group, ()):
        return resource.kind
    if is_sops_encrypted(resource.raw):
        return "SOPS-encrypted"
    return None


@dataclass(frozen=True, slots=True)
class SecretValue:
    """One value of a Secret: where it is, its decoded content, or why it could not be decoded."""

    field: str  # "data" or "stringData"
    key: str
    pointer: Pointer
    raw: object
    decoded: bytes | None
    error: str | None = None

    @property
    def text(self) -> str | None:
        if self.decoded is None:
            return None
        try:
            return self.decoded.decode("utf-8")
        except UnicodeDecodeError:
            return None


def decode_base64(value: str) -> tuple[bytes | None, str | None]:
    """``(bytes, None)`` or ``(None, reason)``, decoding as the API server does."""
    cleaned = value.replace("\r", "").replace("\n", "")
    try:
        return base64.b64decode(cleaned, validate=True), None
    except (binascii.Error, ValueError) as exc:
        reason = str(exc).split("\n", 1)[0].rstrip(".")
        if "padding" in reason.lower():
            return None, "incorrect padding"
        if "non-base64" in reason.lower() or "only base64" in reason.lower() or "non-ascii" in reason.lower():
            return None, "characters outside the base64 alphabet"
        return None, "not base64"


def secret_values(resource: Resource) -> Iterator[SecretValue]:
    """Every ``data`` and ``stringData`` value, decoded (SOPS ``ENC[...]`` values are skipped)."""
    for field in ("data", "stringData"):
        values = resource.raw.get(field)
        if not isinstance(values, dict):
            continue
        base = Pointer((field,))
        for key, value in values.items():
            if value is None or is_sops_value(value):
                continue
            ptr = base / str(key)
            if field == "stringData":
                text = value if isinstance(value, str) else _as_text(value)
                yield SecretValue(field, str(key), ptr, value, text.encode("utf-8"))
            elif not isinstance(value, str):
                yield SecretValue(field, str(key), ptr, value, None, "a value that is not a base64 string")
            else:
                decoded, error = decode_base64(value)
                yield SecretValue(field, str(key), ptr, value, decoded, error)


def _as_text(value: object) -> str:
    try:
        return json.dumps(value)
    except (TypeError, ValueError, RecursionError):
        return ""


def is_empty_or_placeholder(value: SecretValue) -> bool:
    """An empty value, or a placeholder such as ``changeme``, ``<redacted>``, ``${PASSWORD}``.

    A multi-line value (a file) is a placeholder when it is a template holding no credential.
    """
    if value.decoded is None:
        return isinstance(value.raw, str) and is_placeholder(value.raw)
    text = value.text
    if text is None:
        return not value.decoded
    if "\n" in text.strip():
        return is_templated(text) and not scan_text(text)
    return is_placeholder(text)


def _docker_hosts(text: str) -> list[str]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return []
    if not isinstance(data, dict):
        return []
    auths = data.get("auths") if isinstance(data.get("auths"), dict) else data
    return [str(h)[:60] for h in list(auths)[:3]] if isinstance(auths, dict) else []


def _only_certificates(text: str) -> bool:
    return "-----BEGIN CERTIFICATE-----" in text and "PRIVATE KEY" not in text


def classify(secret_type: str, value: SecretValue) -> str | None:
    """What a Secret value holds, for people: ``TLS private key``, ``docker registry credentials for
    ghcr.io``, ``AWS secret access key``, ``password``, ``binary data``, ``secret value`` ...; or
    ``None`` when it holds nothing secret: public material (a certificate, a service account
    token's ``namespace``, a username) or a plain word or identifier under a key that does not
    name a credential (``environment: production``)."""
    key = value.key
    text = value.text
    if text is None:
        return "binary data" if value.decoded else None
    if secret_type == "kubernetes.io/tls" or key in ("tls.key", "tls.crt"):
        if key == "tls.key":
            return "TLS private key"
        if _only_certificates(text):
            return None
    if secret_type in ("kubernetes.io/dockerconfigjson", "kubernetes.io/dockercfg") or key in (
        ".dockerconfigjson",
        ".dockercfg",
    ):
        hosts = _docker_hosts(text)
        return "docker registry credentials" + (f" for {', '.join(hosts)}" if hosts else "")
    if secret_type == "kubernetes.io/basic-auth" and key == "password":
        return "password"
    if secret_type == "kubernetes.io/ssh-auth" and key == "ssh-privatekey":
        return "SSH private key"
    if secret_type == SERVICE_ACCOUNT_TOKEN_TYPE and key == "token":
        return "service account token"
    if secret_type == "bootstrap.kubernetes.io/token" and key == "token-secret":
        return "bootstrap token secret"
    if key in _PUBLIC_KEYS.get(secret_type, ()) or _only_certificates(text):
        return None
    found = scan_named(key, text)
    if found:
        return found[0].kind
    named = credential_kind_for_name(key)
    if named is not None:
        return named
    return "secret value" if is_literal_secret(text) else None


# Keys that hold public values in the built-in Secret types.
_PUBLIC_KEYS: dict[str, tuple[str, ...]] = {
    "kubernetes.io/basic-auth": ("username",),
    SERVICE_ACCOUNT_TOKEN_TYPE: ("namespace", "ca.crt"),
    "bootstrap.kubernetes.io/token": (
        "token-id",
        "description",
        "expiration",
        "usage-bootstrap-authentication",
        "usage-bootstrap-signing",
        "auth-extra-groups",
    ),
}
