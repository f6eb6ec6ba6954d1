"""The namespace a manifest itself chooses.

``metadata.namespace`` as written, except in output rendered by ``helm template``: there the
namespace is the release's (``default`` unless the release names one), chosen at install time
rather than by the chart, so it says nothing about where the objects will run.
"""

from __future__ import annotations

from kubeguard.model.resource import Resource


def chosen_namespace(resource: Resource) -> str | None:
    if resource.source.origin == "helm":
        return None
    return resource.namespace
