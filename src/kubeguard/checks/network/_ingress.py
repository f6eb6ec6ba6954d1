"""Ingress helpers: which Ingress objects count, and TLS host matching with Ingress wildcard rules."""

from __future__ import annotations

from typing import Any

from kubeguard.model.resource import Resource

INGRESS_GROUPS = ("networking.k8s.io", "extensions")


def ingress_spec(resource: Resource) -> dict[str, Any] | None:
    if resource.group not in INGRESS_GROUPS:
        return None
    spec = resource.raw.get("spec")
    return spec if isinstance(spec, dict) else {}


def tls_entries(spec: dict[str, Any]) -> list[dict[str, Any]]:
    tls = spec.get("tls")
    return [t for t in tls if isinstance(t, dict)] if isinstance(tls, list) else []


def host_covered(host: str, tls_host: str) -> bool:
    """Does a certificate entry for ``tls_host`` serve ``host``?

    A wildcard (``*.example.com``) stands for exactly one DNS label, as in Ingress host rules: it
    covers ``a.example.com`` and the rule host ``*.example.com``, not ``example.com`` nor
    ``a.b.example.com``.
    """
    host, tls_host = host.lower().rstrip("."), tls_host.lower().rstrip(".")
    if host == tls_host:
        return True
    if tls_host.startswith("*."):
        first, sep, rest = host.partition(".")
        return bool(sep) and first != "*" and rest == tls_host[2:] and bool(first)
    return False
