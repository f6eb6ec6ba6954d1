"""EncryptionConfiguration (``apiserver.config.k8s.io/v1``): which resources are encrypted at rest,
by which provider, with which keys.

The API server encrypts a resource with the first provider of the first entry that names it (an
explicit name before wildcards such as ``*.`` for the core group or ``*.*`` for everything), and
tries every provider in order to decrypt. Provider strength follows the Kubernetes task "Encrypting
Confidential Data at Rest": KMS v2 is recommended; secretbox is strong; aesgcm is acceptable only
with automated key rotation; aescbc is not recommended (CBC is open to padding oracle attacks);
KMS v1 is deprecated and off by default since Kubernetes 1.29; identity does not encrypt at all.

Key material is read only to check its encoding and length; it never appears in a message.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from kubeguard.model.pointer import Pointer

KEY_PROVIDERS = {"aescbc": (16, 24, 32), "aesgcm": (16, 24, 32), "secretbox": (32,)}
PROVIDER_TYPES = ("kms", "aescbc", "aesgcm", "secretbox", "identity")


@dataclass(frozen=True, slots=True)
class Provider:
    type: str  # kms, aescbc, aesgcm, secretbox, identity, or the unknown key as written
    config: dict[str, Any]
    at: Pointer  # the provider's list item

    @property
    def kms_version(self) -> str:
        return str(self.config.get("apiVersion") or "v1")

    @property
    def label(self) -> str:
        return f"kms {self.kms_version}" if self.type == "kms" else self.type


@dataclass(frozen=True, slots=True)
class Entry:
    resources: tuple[str, ...]
    providers: tuple[Provider, ...]
    at: Pointer  # the entry's list item

    def covers(self, resource: str, group: str = "") -> bool:
        """Whether this entry names ``resource`` of ``group`` (exactly or by wildcard)."""
        qualified = f"{resource}.{group}" if group else resource
        for name in self.resources:
            if name in (qualified, f"{qualified}.", "*.*"):
                return True
            if name == f"*.{group}" or (not group and name == "*."):
                return True
        return False


def entries(raw: dict[str, Any]) -> list[Entry]:
    out: list[Entry] = []
    items = raw.get("resources")
    if not isinstance(items, list):
        return out
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        at = Pointer(("resources", i))
        names = item.get("resources")
        resources = tuple(str(n) for n in names) if isinstance(names, list) else ()
        providers: list[Provider] = []
        plist = item.get("providers")
        if isinstance(plist, list):
            for j, p in enumerate(plist):
                if isinstance(p, dict) and p:
                    kind = next(iter(p))
                    cfg = p[kind] if isinstance(p[kind], dict) else {}
                    providers.append(Provider(str(kind), cfg, at / "providers" / j))
        out.append(Entry(resources, tuple(providers), at))
    return out


def first_entry_for(items: list[Entry], resource: str, group: str = "") -> Entry | None:
    """The entry the API server uses for a resource: an explicit name wins over wildcards."""
    qualified = f"{resource}.{group}" if group else resource
    for e in items:
        if qualified in e.resources or f"{qualified}." in e.resources:
            return e
    for e in items:
        if e.covers(resource, group):
            return e
    return None


@dataclass(frozen=True, slots=True)
class KeyProblem:
    message: str
    at: Pointer


def key_problems(provider: Provider) -> Iterator[KeyProblem]:
    """Missing keys, missing names or secrets, invalid base64 and wrong key lengths (no key material
    is ever put in a message)."""
    sizes = KEY_PROVIDERS.get(provider.type)
    if sizes is None:
        return
    base = provider.at / provider.type
    keys = provider.config.get("keys")
    if not isinstance(keys, list) or not keys:
        yield KeyProblem(f"{provider.type} provider has no keys", base / "keys")
        return
    for k, key in enumerate(keys):
        at = base / "keys" / k
        if not isinstance(key, dict):
            yield KeyProblem(f"{provider.type} key #{k + 1} is not a mapping", at)
            continue
        name = key.get("name")
        label = f"{provider.type} key {name!r}" if name else f"{provider.type} key #{k + 1}"
        if not name:
            yield KeyProblem(f"{label} has no name", at / "name")
        secret = key.get("secret")
        if not isinstance(secret, str) or not secret.strip():
            yield KeyProblem(f"{label} has no secret", at / "secret")
            continue
        try:
            decoded = base64.b64decode(secret.strip(), validate=True)
        except (binascii.Error, ValueError):
            yield KeyProblem(f"{label}: the secret is not valid base64", at / "secret")
            continue
        if len(decoded) not in sizes:
            want = " or ".join(str(s) for s in sizes)
            yield KeyProblem(
                f"{label}: the secret decodes to {len(decoded)} bytes; {provider.type} needs {want} bytes",
                at / "secret",
            )
