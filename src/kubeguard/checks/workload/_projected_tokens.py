"""Projected service account tokens (``volumes[].projected.sources[].serviceAccountToken``) and
the configured longest acceptable lifetime."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from kubeguard.model.pointer import Pointer
from kubeguard.model.workload import Workload
from kubeguard.rules.context import ScanContext

SECTION = "serviceAccountTokens"
#: Kubernetes' own default when ``expirationSeconds`` is unset.
K8S_DEFAULT_EXPIRATION = 3600
#: Longest lifetime accepted unless ``serviceAccountTokens.maxExpirationSeconds`` says otherwise.
DEFAULT_MAX_EXPIRATION = 86400


@dataclass(frozen=True, slots=True)
class ProjectedToken:
    volume: str
    token: dict[str, Any]
    pointer: Pointer

    @property
    def audience(self) -> Any:
        return self.token.get("audience")

    @property
    def expiration(self) -> Any:
        return self.token.get("expirationSeconds", K8S_DEFAULT_EXPIRATION)


def projected_tokens(workload: Workload) -> Iterator[ProjectedToken]:
    vols = workload.spec.get("volumes")
    if not isinstance(vols, list):
        return
    for i, vol in enumerate(vols):
        projected = vol.get("projected") if isinstance(vol, dict) else None
        sources = projected.get("sources") if isinstance(projected, dict) else None
        if not isinstance(sources, list):
            continue
        for j, src in enumerate(sources):
            token = src.get("serviceAccountToken") if isinstance(src, dict) else None
            if isinstance(token, dict):
                ptr = workload.spec_pointer.join(
                    "volumes", i, "projected", "sources", j, "serviceAccountToken"
                )
                yield ProjectedToken(str(vol.get("name") or f"#{i}"), token, ptr)


def _max_expiration(ctx: ScanContext) -> int:
    value = ctx.config.section(SECTION).get("maxExpirationSeconds", DEFAULT_MAX_EXPIRATION)
    if isinstance(value, bool) or not isinstance(value, int) or value < 600:
        raise ValueError(
            f"config {SECTION}.maxExpirationSeconds must be a whole number of seconds >= 600, got {value!r}"
        )
    return value


def max_expiration(ctx: ScanContext) -> int:
    return ctx.cached(_max_expiration)
