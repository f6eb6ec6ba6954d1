"""The fixes of the network rules: remove a field that exposes or downgrades traffic. Unsafe: the
clients that use the exposed address or plain HTTP lose it."""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model.resource import Resource
from kubeguard.rules.context import ScanContext
from kubeguard.rules.fix import Edit, remove, unsafe
from kubeguard.rules.rule import Violation


def _remove(resource: Resource, ctx: ScanContext, v: Violation) -> Iterator[Edit]:
    yield remove(v.at)


REMOVE_EXTERNAL_IPS = unsafe(
    "remove spec.externalIPs (clients that reach the Service on those addresses lose it)", _remove
)
REMOVE_SSL_REDIRECT_OPT_OUT = unsafe(
    "remove the annotation that disables the HTTPS redirect (plain-HTTP clients are then redirected)",
    _remove,
)
