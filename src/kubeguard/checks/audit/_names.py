"""The name of the object a request is about, for rules that match names (namespaces, nodes,
service accounts, roles)."""

from __future__ import annotations

from kubeguard.model.audit import AuditEvent


def target_name(event: AuditEvent) -> str:
    """``objectRef.name``, else the name in the logged request or response object (a create
    names its object only in the body; the API server copies it into ``objectRef`` when it logs the
    body)."""
    if event.name:
        return event.name
    for obj in (event.response_object, event.request_object):
        meta = obj.get("metadata") if isinstance(obj, dict) else None
        name = meta.get("name") if isinstance(meta, dict) else None
        if isinstance(name, str) and name:
            return name
    return ""
