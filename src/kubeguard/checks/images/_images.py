"""The images a workload pulls, parsed once, and the ``images:`` section of ``.kubeguard.yaml``.

Every container is judged, init and ephemeral containers included: each one pulls its image the
same way. Image volumes (``volumes[].image``, an OCI image mounted as a volume) are pulled by the
kubelet with their own ``pullPolicy`` and are judged as well. A container without an image (a
controller template that leaves it to a tool) or with an unparsable reference (an unrendered
template) is skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from kubeguard.analyzers.workload.containers import describe
from kubeguard.model.image import ImageRef, parse_image
from kubeguard.model.pointer import Pointer
from kubeguard.model.workload import Workload
from kubeguard.rules.context import ScanContext

SECTION = "images"


@dataclass(frozen=True, slots=True)
class ImageUse:
    """One image pulled for the pod: who pulls it (``label``), the reference as written, where it
    is written (``at``) and its pull policy as written (``policy``, at ``policy_at``)."""

    label: str
    text: str
    ref: ImageRef
    at: Pointer
    policy: Any
    policy_at: Pointer


def images(workload: Workload) -> Iterator[ImageUse]:
    for c in workload.containers():
        ref = parse_image(c.image) if c.image else None
        if ref is not None:
            yield ImageUse(
                describe(c),
                c.image,
                ref,
                c.pointer / "image",
                c.raw.get("imagePullPolicy"),
                c.pointer / "imagePullPolicy",
            )
    vols = workload.spec.get("volumes")
    if not isinstance(vols, list):
        return
    for i, vol in enumerate(vols):
        source = vol.get("image") if isinstance(vol, dict) else None
        if not isinstance(source, dict):
            continue
        text = source.get("reference")
        ref = parse_image(text) if isinstance(text, str) and text else None
        if ref is not None:
            assert isinstance(text, str)
            base = workload.spec_pointer.join("volumes", i, "image")
            label = f"image volume {str(vol.get('name') or f'#{i}')!r}"
            yield ImageUse(
                label, text, ref, base / "reference", source.get("pullPolicy"), base / "pullPolicy"
            )


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
