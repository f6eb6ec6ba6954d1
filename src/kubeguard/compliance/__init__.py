"""Compliance frameworks as data: each framework's controls and the rule codes that evidence them.

One file per framework, ``frameworks/<id>.yaml``, validated against ``framework.schema.json`` by
the test suite; these files are the one source of the mapping. A rule may also name controls in
its own ``Rule.compliance`` (the control plane and PSS families do, for their CIS ids); a test
keeps every such claim listed in the framework file, so the two never disagree (families still
being mapped are the documented exemptions in :data:`EXEMPT`). Judging a scan against a framework
is :mod:`kubeguard.findings.compliance`, one layer up, where findings exist.

Each control has ``rules``, or ``manual`` (what a person must check), or ``not-covered`` (why
kubeguard cannot judge it); a control with rules may add ``manual`` text for the part the rules
cannot see.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True, slots=True)
class Control:
    """One control (requirement, recommendation, technique) of a framework.

    ``rules`` are the rule codes whose results evidence it. A control without rules is either
    ``manual`` (the text says what a person must check) or ``not_covered`` (the text says why
    kubeguard cannot judge it); a control with rules may still carry ``manual`` text for the part
    a person must check beyond them. ``section`` is the framework's grouping (CIS section, ATT&CK
    tactics, PCI requirement); ``assessment`` is the framework's own label where it has one (CIS:
    ``automated`` or ``manual``); ``fields`` pairs a rule code with the one field (last segment of
    the finding's pointer) whose findings concern this control, for rules that judge several.
    """

    framework: str
    id: str
    title: str
    rules: tuple[str, ...]
    manual: str | None = None
    not_covered: str | None = None
    section: str = ""
    assessment: str = ""
    fields: tuple[tuple[str, str], ...] = ()

    def counts_finding(self, code: str, pointer: str) -> bool:
        """Whether a finding of rule ``code`` at ``pointer`` concerns this control: always, unless
        ``fields`` narrows that rule to findings at one field (PSS001 judges hostPID, hostIPC and
        hostNetwork at once; CIS has a recommendation for each)."""
        wanted = [f for c, f in self.fields if c == code]
        return not wanted or pointer.rsplit("/", 1)[-1] in wanted

    @property
    def automated(self) -> bool:
        """True when rules evidence the control: its status comes from a scan's results."""
        return bool(self.rules)


@dataclass(frozen=True, slots=True)
class Framework:
    """A framework: ``id`` (what ``--framework`` and findings' ``compliance`` use), ``title``,
    ``version``, other names accepted on the command line (``aliases``), ``url``, and its controls
    in the framework's own order."""

    id: str
    title: str
    controls: tuple[Control, ...]
    version: str = ""
    aliases: tuple[str, ...] = ()
    url: str = ""

    @property
    def coverage(self) -> dict[str, int]:
        """How many controls are automated (have rules; ``partly-manual``: of those, how many also
        ask a person to check something), manual, and not covered."""
        return {
            "controls": len(self.controls),
            "automated": sum(1 for c in self.controls if c.rules),
            "partly-manual": sum(1 for c in self.controls if c.rules and c.manual),
            "manual": sum(1 for c in self.controls if not c.rules and not c.not_covered),
            "not-covered": sum(1 for c in self.controls if not c.rules and c.not_covered),
        }


#: Rules and rule families that map to no framework control, and why (see docs/compliance.md).
#: A family here (``AUD``) is one whose rules are still being mapped: its rules' own
#: ``Rule.compliance`` claims are used as they are, without being listed in the files.
EXEMPT: dict[str, str] = {
    "WKL015": "reliability (liveness probes): no control of the bundled frameworks asks for health checks",
    "WKL016": "reliability (readiness probes): no control of the bundled frameworks asks for health checks",
    "IMG005": "deployment correctness: a missing image pull secret stops the pod from starting",
    "AUD": "audit-event rules, judged by `kubeguard audit`, not by a scan: listed in mitre-attack.yaml "
    "under the techniques they name; a new one may land before it is listed",
}


class FrameworkError(ValueError):
    """A bundled framework file is malformed (a packaging bug, caught by the test suite)."""


def framework_files() -> list[Any]:
    """The bundled framework files (``importlib.resources`` traversables), sorted by name."""
    folder = resources.files("kubeguard.compliance") / "frameworks"
    return sorted((e for e in folder.iterdir() if e.name.endswith(".yaml")), key=lambda e: e.name)


def load_framework(name: str, data: Any) -> Framework:
    """A :class:`Framework` from a framework file's decoded YAML (``name`` for messages)."""
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        raise FrameworkError(f"compliance framework {name}: needs an 'id'")
    fid = data["id"]
    controls = []
    for c in data.get("controls") or []:
        if not isinstance(c, dict) or "id" not in c:
            raise FrameworkError(f"compliance framework {name}: a control without an 'id'")
        controls.append(
            Control(
                fid,
                str(c["id"]),
                str(c.get("title", "")),
                tuple(str(r) for r in c.get("rules") or ()),
                manual=str(c["manual"]) if c.get("manual") else None,
                not_covered=str(c["not-covered"]) if c.get("not-covered") else None,
                section=str(c.get("section") or ""),
                assessment=str(c.get("assessment") or ""),
                fields=tuple((str(k), str(v)) for k, v in (c.get("fields") or {}).items()),
            )
        )
    return Framework(
        fid,
        str(data.get("title") or fid),
        tuple(controls),
        version=str(data.get("version") or ""),
        aliases=tuple(str(a) for a in data.get("aliases") or ()),
        url=str(data.get("url") or ""),
    )


@cache
def frameworks() -> dict[str, Framework]:
    """Every bundled framework by id, in file-name order."""
    out: dict[str, Framework] = {}
    for entry in framework_files():
        fw = load_framework(entry.name, yaml.load(entry.read_text(encoding="utf-8"), Loader=_Loader))
        if fw.id in out:
            raise FrameworkError(f"compliance framework {entry.name}: id {fw.id!r} defined twice")
        out[fw.id] = fw
    return out


@cache
def mapping_by_rule() -> dict[str, dict[str, list[str]]]:
    """rule code -> framework id -> control ids, from the framework files."""
    out: dict[str, dict[str, list[str]]] = {}
    for fw in frameworks().values():
        for control in fw.controls:
            for code in control.rules:
                ids = out.setdefault(code, {}).setdefault(fw.id, [])
                if control.id not in ids:
                    ids.append(control.id)
    return out


def controls_for(code: str, own: dict[str, tuple[str, ...]] | None = None) -> dict[str, list[str]]:
    """The framework controls a rule maps to: the framework files' mapping and the rule's own."""
    merged: dict[str, list[str]] = {k: list(v) for k, v in (own or {}).items()}
    for fid, ids in mapping_by_rule().get(code, {}).items():
        target = merged.setdefault(fid, [])
        target.extend(i for i in ids if i not in target)
    return {k: sorted(v, key=_control_sort_key) for k, v in sorted(merged.items())}


def _control_sort_key(control_id: str) -> tuple[Any, ...]:
    return tuple(
        (0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"[.\-()]+", control_id) if p
    )
