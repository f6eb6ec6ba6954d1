"""The images of a workload, parsed once, and the ``images:`` section of ``.kubeguard.yaml``.

Every container is judged, init and ephemeral containers included: each one pulls an image the
same way. A container without an image (a controller template that leaves it to a tool) or with
an unparsable reference (an unrendered template) is skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from kubeguard.analyzers.workload.containers import describe
from kubeguard.model.image import ImageRef, parse_image
from kubeguard.model.workload import Container, Workload
from kubeguard.rules.context import ScanContext

__all__ = ["SECTION", "configured", "describe", "images", "patterns"]

SECTION = "images"


def images(workload: Workload) -> Iterator[tuple[Container, ImageRef]]:
    for c in workload.containers():
        ref = parse_image(c.image) if c.image else None
        if ref is not None:
            yield c, ref


def configured(key: str) -> Callable[[ScanContext], bool]:
    """``enabled=`` for a rule that needs ``images.<key>``: on when the key is set (not null)."""

    def enabled(ctx: ScanContext) -> bool:
        return ctx.config.section(SECTION).get(key) is not None

    return enabled


def patterns(ctx: ScanContext, key: str) -> tuple[str, ...]:
    """``images.<key>`` as a tuple of registry patterns; ``ValueError`` when it is not a list of strings."""
    value = ctx.config.section(SECTION).get(key)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"config {SECTION}.{key} must be a list of registry patterns, got {value!r}")
    return tuple(value)
