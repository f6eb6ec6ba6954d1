"""Compliance frameworks as data: which rule codes implement which framework control.

Each ``specs/*.yaml`` file names a framework and lists controls with the rule codes that implement
them. Several files may add to one framework (each family can keep its own). Rules may also carry
their own mapping in ``Rule.compliance``; both are merged.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True, slots=True)
class Control:
    """One control (requirement, recommendation, technique) of a framework.

    ``rules`` are the rule codes whose results evidence it. A control without rules is either
    ``manual`` (the text says what a person must check) or ``not_covered`` (the text says why
    kubeguard cannot judge it); a control with rules may still carry ``manual`` text for the part
    a person must check beyond them.
    """

    framework: str
    id: str
    title: str
    rules: tuple[str, ...]
    manual: str | None = None
    not_covered: str | None = None

    @property
    def automated(self) -> bool:
        """True when rules evidence the control: its status comes from a scan's results."""
        return bool(self.rules)


@dataclass(frozen=True, slots=True)
class Framework:
    id: str
    title: str
    controls: tuple[Control, ...]
    version: str = ""
    aliases: tuple[str, ...] = ()


@cache
def frameworks() -> dict[str, Framework]:
    """Every framework defined by the bundled specs, controls merged across files."""
    titles: dict[str, str] = {}
    controls: dict[str, list[Control]] = {}
    versions: dict[str, str] = {}
    aliases: dict[str, tuple[str, ...]] = {}
    spec_dir = resources.files("kubeguard.compliance") / "specs"
    for entry in sorted(spec_dir.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        data: Any = yaml.safe_load(entry.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not isinstance(data.get("framework"), str):
            raise ValueError(f"compliance spec {entry.name}: needs a 'framework' id")
        fid = data["framework"]
        titles.setdefault(fid, str(data.get("title") or fid))
        if data.get("aliases"):
            aliases.setdefault(fid, tuple(str(a) for a in data["aliases"]))
        if data.get("version"):
            versions.setdefault(fid, str(data["version"]))
        for c in data.get("controls") or []:
            controls.setdefault(fid, []).append(
                Control(
                    fid,
                    str(c["id"]),
                    str(c.get("title", "")),
                    tuple(str(r) for r in c.get("rules") or ()),
                    manual=str(c["manual"]) if c.get("manual") else None,
                    not_covered=str(c["not-covered"]) if c.get("not-covered") else None,
                )
            )
    return {
        fid: Framework(
            fid, titles[fid], tuple(controls.get(fid, [])), versions.get(fid, ""), aliases.get(fid, ())
        )
        for fid in titles
    }


@cache
def mapping_by_rule() -> dict[str, dict[str, list[str]]]:
    """rule code -> framework id -> control ids, from the bundled specs."""
    out: dict[str, dict[str, list[str]]] = {}
    for fw in frameworks().values():
        for control in fw.controls:
            for code in control.rules:
                ids = out.setdefault(code, {}).setdefault(fw.id, [])
                if control.id not in ids:
                    ids.append(control.id)
    return out


def controls_for(code: str, own: dict[str, tuple[str, ...]] | None = None) -> dict[str, list[str]]:
    """The framework controls a rule maps to: its own mapping merged with the specs'."""
    merged: dict[str, list[str]] = {k: list(v) for k, v in (own or {}).items()}
    for fid, ids in mapping_by_rule().get(code, {}).items():
        target = merged.setdefault(fid, [])
        target.extend(i for i in ids if i not in target)
    return {k: sorted(v, key=_control_sort_key) for k, v in sorted(merged.items())}


def _control_sort_key(control_id: str) -> tuple[Any, ...]:
    return tuple(
        (0, int(p), "") if p.isdigit() else (1, 0, p) for p in control_id.replace("-", ".").split(".")
    )
