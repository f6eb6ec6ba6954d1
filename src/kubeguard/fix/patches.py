"""Suggested patches for rendered objects, which ``kubeguard fix`` never edits.

An object rendered by Kustomize or Helm, or read from standard input, has no file that holds it
as it is deployed: the fix is shown as a strategic-merge patch instead (what ``kubectl patch`` and
Kustomize's ``patches:`` apply), computed as the difference between the object and the object with
the fix's edits applied. Lists of containers, ports, volumes and the like are merged by their merge
key (``name``, ``containerPort``...), as the API server merges them; other lists are replaced
whole; a removed field is ``null``.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from kubeguard.fix.editor import apply_to
from kubeguard.rules.fix import Edit

# The merge keys of the lists a fix can reach (from the Kubernetes API's patchMergeKey tags).
_MERGE_KEYS = {
    "containers": "name",
    "initContainers": "name",
    "ephemeralContainers": "name",
    "volumes": "name",
    "volumeMounts": "mountPath",
    "env": "name",
    "ports": "containerPort",
    "imagePullSecrets": "name",
}


def strategic_merge_patch(raw: dict[str, Any], edits: Sequence[Edit]) -> dict[str, Any] | None:
    """The strategic-merge patch that makes ``raw`` what ``edits`` make it; ``None`` if nothing changes."""
    fixed = copy.deepcopy(raw)
    if not apply_to(fixed, edits):
        return None
    body = _diff(raw, fixed)
    if not isinstance(body, dict) or not body:
        return None
    metadata: dict[str, Any] = {"name": (raw.get("metadata") or {}).get("name")}
    namespace = (raw.get("metadata") or {}).get("namespace")
    if namespace:
        metadata["namespace"] = namespace
    patch: dict[str, Any] = {
        "apiVersion": raw.get("apiVersion"),
        "kind": raw.get("kind"),
        "metadata": metadata,
    }
    for key, value in body.items():
        if key == "metadata" and isinstance(value, dict):
            metadata.update(value)
        else:
            patch[key] = value
    return patch


_SAME = object()


def _diff(old: Any, new: Any, field: str | None = None) -> Any:
    if isinstance(old, dict) and isinstance(new, dict):
        out: dict[str, Any] = {}
        for key, value in new.items():
            if key not in old:
                out[key] = value
            else:
                sub = _diff(old[key], value, key)
                if sub is not _SAME:
                    out[key] = sub
        for key in old:
            if key not in new:
                out[key] = None
        return out if out else _SAME
    if isinstance(old, list) and isinstance(new, list) and field in _MERGE_KEYS:
        merge_key = _MERGE_KEYS[field]
        items: list[Any] = []
        for before, after in zip(old, new, strict=False):
            if isinstance(before, dict) and isinstance(after, dict) and merge_key in after:
                sub = _diff(before, after)
                if sub is not _SAME:
                    items.append({merge_key: after[merge_key], **sub})
            elif before != after:
                return new  # no merge key to merge by: the whole list
        items.extend(new[len(old) :])
        return items if items else _SAME
    return _SAME if old == new and type(old) is type(new) else new
