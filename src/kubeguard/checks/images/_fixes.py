"""The fixes of the image rules: pin a digest that the configuration knows, pull Always, move
off the frozen registry. All unsafe: each changes which bytes a node runs or where it pulls them."""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.checks.images._images import images
from kubeguard.model.workload import Workload
from kubeguard.rules.context import ScanContext
from kubeguard.rules.fix import SECTION, Edit, set_value, unsafe
from kubeguard.rules.rule import Violation

FROZEN_HOST = "k8s.gcr.io"
REPLACEMENT_HOST = "registry.k8s.io"


def known_digest(ctx: ScanContext, image: str) -> str | None:
    """``fix.imageDigests[image]`` from the config: the digest the image reference resolves to."""
    digests = ctx.config.section(SECTION).get("imageDigests")
    value = digests.get(image) if isinstance(digests, dict) else None
    return value if isinstance(value, str) and value.startswith("sha256:") else None


def _pin(w: Workload, ctx: ScanContext, v: Violation) -> Iterator[Edit]:
    for use in images(w):
        if use.at == v.at and use.ref.digest_problem is None and not use.ref.pinned:
            digest = known_digest(ctx, use.text)
            if digest is not None:
                yield set_value(use.at, f"{use.text}@{digest}")


PIN_DIGEST = unsafe(
    "append the digest that fix.imageDigests in .kubeguard.yaml gives for the image reference "
    "(only when configured; later pushes to the tag are no longer pulled)",
    _pin,
)


def _pull_always(w: Workload, ctx: ScanContext, v: Violation) -> Iterator[Edit]:
    yield set_value(v.at, "Always")


PULL_ALWAYS = unsafe(
    "set imagePullPolicy: Always (pods no longer start from a node's cached image when the registry "
    "is unreachable)",
    _pull_always,
)


def _registry_k8s_io(w: Workload, ctx: ScanContext, v: Violation) -> Iterator[Edit]:
    for use in images(w):
        if use.at == v.at and use.text.startswith(FROZEN_HOST + "/"):
            yield set_value(use.at, REPLACEMENT_HOST + use.text[len(FROZEN_HOST) :])


MOVE_TO_REGISTRY_K8S_IO = unsafe(
    "pull the same path and tag from registry.k8s.io, which serves every image k8s.gcr.io had "
    "(networks that allow only k8s.gcr.io must allow the new host)",
    _registry_k8s_io,
)
