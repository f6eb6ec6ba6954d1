"""Objects as they arrive from the API server, trimmed to what rules read (memory stays bounded).

- ``apiVersion`` and ``kind`` are put back (list items carry neither), first, as in a manifest;
- ``metadata.managedFields`` is dropped (often half of an object, read by no rule);
- ``status`` is dropped (no rule judges status), except a Node's ``status.nodeInfo`` (the
  kubelet version, reported as what was available);
- a Secret keeps its keys but never its values: every ``data``/``stringData`` value becomes ``""``,
  and the ``kubectl.kubernetes.io/last-applied-configuration`` annotation (which holds the values
  of a Secret created by ``kubectl apply``) is dropped. Rules that read Secrets from a cluster
  need their type, annotations and keys (long-lived tokens, TLS Secrets that exist); whether a
  committed Secret holds a real value (SEC004) is a question about files, not the API.
"""

from __future__ import annotations

from typing import Any

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


def trim(item: dict[str, Any], api_version: str, kind: str) -> dict[str, Any]:
    """The object a list item describes, trimmed (see the module docstring); ``item`` is consumed."""
    obj: dict[str, Any] = {"apiVersion": api_version, "kind": kind}
    for key, value in item.items():
        if key in ("apiVersion", "kind"):
            continue
        if key == "status":
            if kind == "Node" and isinstance(value, dict) and isinstance(value.get("nodeInfo"), dict):
                obj["status"] = {"nodeInfo": value["nodeInfo"]}
            continue
        obj[key] = value
    metadata = obj.get("metadata")
    if isinstance(metadata, dict):
        metadata.pop("managedFields", None)
    if kind == "Secret" and api_version == "v1":
        reduce_secret(obj)
    return obj


def reduce_secret(obj: dict[str, Any]) -> None:
    """Empty every value of a Secret, keeping its keys; drop the last-applied copy of it."""
    for field in ("data", "stringData"):
        values = obj.get(field)
        if isinstance(values, dict):
            obj[field] = dict.fromkeys(values, "")
    metadata = obj.get("metadata")
    if isinstance(metadata, dict):
        annotations = metadata.get("annotations")
        if isinstance(annotations, dict) and LAST_APPLIED in annotations:
            metadata["annotations"] = {k: v for k, v in annotations.items() if k != LAST_APPLIED}
