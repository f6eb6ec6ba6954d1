"""The full command of an exec request, for the rules that look at what it runs (copying files out,
reading tokens). Messages built from it name paths, never other arguments."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from kubeguard.model.audit import AuditEvent


def exec_command(event: AuditEvent) -> list[str]:
    """The ``command`` query parameters of an exec URI, in order (what kubectl sends); else a
    ``command`` list in the logged request object (GKE and AKS log the exec options there).
    Read once per event, whichever rule asks first (the list must not be changed)."""
    return event.derived("exec.command", _command)


def _command(event: AuditEvent) -> list[str]:
    query = urlsplit(event.request_uri).query
    if "command=" in query:
        return parse_qs(query, keep_blank_values=True).get("command", [])
    obj = event.request_object
    command = obj.get("command") if isinstance(obj, dict) else None
    return [str(part) for part in command] if isinstance(command, list) else []


def program(command: list[str]) -> str:
    """The program's base name (``/bin/tar`` is ``tar``)."""
    return command[0].rsplit("/", 1)[-1] if command else ""
