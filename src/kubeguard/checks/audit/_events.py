"""Helpers AUD rules share for reading an event's request: pod containers, images, the exec command.

Only shapes, no decisions: each rule decides what counts. Every helper tolerates any JSON (a
request object logged by a hostile or broken client is still read without raising).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kubeguard.checks.audit._exec import exec_command
from kubeguard.model.audit import AuditEvent
from kubeguard.model.image import parse_image
from kubeguard.rules.audit import AllowList

#: Container lists of a PodSpec, in Kubernetes' order.
CONTAINER_LISTS = ("initContainers", "containers", "ephemeralContainers")


def pod_spec(obj: Any) -> dict[str, Any]:
    """``spec`` of a Pod object (``{}`` when absent or not an object)."""
    spec = obj.get("spec") if isinstance(obj, dict) else None
    return spec if isinstance(spec, dict) else {}


def containers(spec: dict[str, Any]) -> Iterator[tuple[str, int, dict[str, Any]]]:
    """``(list name, index, container)`` for every container of a PodSpec."""
    for list_name in CONTAINER_LISTS:
        items = spec.get(list_name)
        if isinstance(items, list):
            for i, c in enumerate(items):
                if isinstance(c, dict):
                    yield list_name, i, c


def container_label(list_name: str, container: dict[str, Any]) -> str:
    kind = {"initContainers": "init container", "ephemeralContainers": "ephemeral container"}
    name = container.get("name")
    return f"{kind.get(list_name, 'container')} {name if isinstance(name, str) else '?'!r}"


def image_of(container: dict[str, Any]) -> str:
    image = container.get("image")
    return image if isinstance(image, str) else ""


def image_in(image: str, allowed: AllowList) -> bool:
    """Whether an image's repository is allowed: as written without tag or digest
    (``calico/node``, Falco's ``image.repository``), or fully qualified (``docker.io/calico/node``)."""
    if not allowed or not image:
        return False
    written = image.split("@", 1)[0]
    slash = written.rfind("/")
    colon = written.rfind(":")
    if colon > slash:
        written = written[:colon]
    if written in allowed:
        return True
    ref = parse_image(image)
    return ref is not None and ref.name in allowed


def exec_program(event: AuditEvent) -> str:
    """The program an exec request runs (the first part of its command, as written), ``""`` when not
    logged. Only the program: its arguments may hold credentials."""
    command = exec_command(event)
    return command[0] if command else ""


def object_name(event: AuditEvent) -> str:
    """``namespace/name`` of the object a request is about. A create with ``generateName`` has no
    name in ``objectRef``: the response's name is used, else the request's ``generateName`` + ``*``."""
    name = event.name
    if not name:
        for obj in (event.response_object, event.request_object):
            meta = obj.get("metadata") if isinstance(obj, dict) else None
            if isinstance(meta, dict):
                if isinstance(meta.get("name"), str) and meta["name"]:
                    name = meta["name"]
                    break
                if isinstance(meta.get("generateName"), str) and meta["generateName"]:
                    name = meta["generateName"] + "*"
    return f"{event.namespace}/{name}" if event.namespace else name


def who(event: AuditEvent) -> str:
    """The requesting user for messages (and whom they impersonate)."""
    user = event.username or "(no user)"
    if event.impersonated:
        target = event.impersonated_user
        if target is not None and target.username:
            return f"{user} (as {target.username})"
    return user
