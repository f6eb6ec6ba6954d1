"""MITRE ATT&CK facts in the catalogue, checked against MITRE's official data.

``attack-enterprise.json`` beside this file is an extract of MITRE's STIX data for Enterprise ATT&CK
(its header names the ATT&CK version and the mitre/cti commit), made by
``tools/gen_attack_extract.py``. These tests check every technique id kubeguard writes (the
``mitre-attack`` framework file, rules' ``compliance``, rule documentation, docs/) against it: the id
exists and is neither revoked nor deprecated, titles are the official names ("Parent: Sub-technique"
for a sub-technique), sections are the official tactics, and every technique of the Containers
matrix is in the file.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

from kubeguard.compliance import frameworks
from kubeguard.engine.registry import catalogue

ROOT = Path(__file__).resolve().parents[2]
EXTRACT = json.loads((Path(__file__).parent / "attack-enterprise.json").read_text(encoding="utf-8"))
TECHNIQUES: dict[str, dict] = EXTRACT["techniques"]
TACTICS: dict[str, str] = EXTRACT["tactics"]
MITRE = frameworks()["mitre-attack"]
RULES = catalogue()
OUTSIDE = " (outside the Containers matrix)"
TECHNIQUE_ID = re.compile(r"\bT1\d{3}(?:\.\d{3})?\b")
URL_ID = re.compile(r"attack\.mitre\.org/techniques/(T1\d{3})(?:/(\d{3}))?")
# "- MITRE ATT&CK T1609 Container Administration Command, T1133 External Remote Services"
NAMED = re.compile(r"(T1\d{3}(?:\.\d{3})?) ([A-Z][^,\n()]*[^,\n() ])")
REFRESH = "not in tests/compliance/attack-enterprise.json: rerun tools/gen_attack_extract.py"


def _official(tid: str) -> str:
    """The name ATT&CK shows for a technique: "Parent: Sub-technique" for a sub-technique."""
    name = str(TECHNIQUES[tid]["name"])
    parent = tid.split(".")[0]
    return f"{TECHNIQUES[parent]['name']}: {name}" if parent != tid else name


def _assert_active(tid: str, where: str) -> None:
    assert tid in TECHNIQUES, f"{where}: {tid} {REFRESH} (or it is no Enterprise ATT&CK technique)"
    status = TECHNIQUES[tid]["status"]
    assert status == "active", f"{where}: {tid} is {status} in ATT&CK {EXTRACT['version']}"


def test_extract_names_its_source_and_the_framework_its_version():
    assert EXTRACT["attack"] == "Enterprise ATT&CK"
    assert EXTRACT["source"] == "https://github.com/mitre/cti"
    assert re.fullmatch(r"[0-9a-f]{40}", EXTRACT["commit"])
    assert EXTRACT["absent"] == [], "kubeguard names ids that are no Enterprise ATT&CK technique"
    assert MITRE.version == EXTRACT["version"], "mitre-attack.yaml and the extract name different releases"
    tactics = list(TACTICS)
    assert (tactics[0], tactics[-1]) == ("reconnaissance", "impact"), "the matrix's order"


@pytest.mark.parametrize("control", MITRE.controls, ids=lambda c: c.id)
def test_control_is_an_active_technique_with_its_official_name_and_tactics(control):
    _assert_active(control.id, "mitre-attack.yaml")
    technique = TECHNIQUES[control.id]
    assert control.title == _official(control.id)
    tactics, outside = control.section.removesuffix(OUTSIDE), control.section.endswith(OUTSIDE)
    assert tactics.split(", ") == [TACTICS[t] for t in technique["tactics"]], "tactics, in the matrix's order"
    assert outside is not technique["containers"], (
        "only techniques without the Containers platform are outside"
    )


def test_every_technique_of_the_containers_matrix_is_listed():
    listed = {c.id for c in MITRE.controls}
    missing = [
        f"{tid} {_official(tid)}"
        for tid, t in TECHNIQUES.items()
        if t["containers"]
        and t["status"] == "active"
        and tid not in listed
        # a parent technique is shown through its sub-techniques
        and not any(sub.startswith(f"{tid}.") for sub in listed)
    ]
    assert missing == []


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_techniques_a_rule_names_are_active_and_named_officially(rule):
    for tid in rule.compliance.get("mitre-attack", ()):
        _assert_active(tid, f"{rule.code} compliance")
    text = "\n".join((rule.doc, *rule.references))
    for tid in TECHNIQUE_ID.findall(text):
        _assert_active(tid, f"{rule.code} documentation")
    for tid, sub in URL_ID.findall(text):
        _assert_active(f"{tid}.{sub}" if sub else tid, f"{rule.code} reference URL")
    for line in text.splitlines():
        if "ATT&CK" in line:
            for tid, name in NAMED.findall(line):
                assert name in {TECHNIQUES[tid]["name"], _official(tid)}, (rule.code, tid, name)


def test_every_technique_id_in_the_sources_and_docs_is_active():
    for folder in ("src", "docs"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in {".py", ".yaml", ".md", ".json"} and path.is_file():
                for tid in set(TECHNIQUE_ID.findall(path.read_text(encoding="utf-8", errors="replace"))):
                    _assert_active(tid, str(path.relative_to(ROOT)))


def _bundle(*objects: dict) -> dict:
    return {"type": "bundle", "id": "bundle--1", "objects": list(objects)}


def _technique(tid: str, name: str, phases: list[str], platforms: list[str], **extra: object) -> dict:
    return {
        "type": "attack-pattern",
        "id": f"attack-pattern--{tid}",
        "name": name,
        "external_references": [{"source_name": "mitre-attack", "external_id": tid}],
        "kill_chain_phases": [{"kill_chain_name": "mitre-attack", "phase_name": p} for p in phases],
        "x_mitre_platforms": platforms,
        **extra,
    }


def test_generator_extracts_names_statuses_tactics_and_version(tmp_path, capsys):
    spec = importlib.util.spec_from_file_location(
        "gen_attack_extract", ROOT / "tools" / "gen_attack_extract.py"
    )
    assert spec and spec.loader
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    tactics = [
        {"type": "x-mitre-tactic", "id": f"x-mitre-tactic--{s}", "x_mitre_shortname": s, "name": n}
        for s, n in (("persistence", "Persistence"), ("execution", "Execution"))
    ]
    matrix = {
        "type": "x-mitre-matrix",
        "id": "x-mitre-matrix--1",
        "external_references": [{"source_name": "mitre-attack", "external_id": "enterprise-attack"}],
        "tactic_refs": ["x-mitre-tactic--execution", "x-mitre-tactic--persistence"],
    }
    source = tmp_path / "enterprise-attack.json"
    source.write_text(
        json.dumps(
            _bundle(
                {"type": "x-mitre-collection", "id": "x-mitre-collection--1", "x_mitre_version": "99.1"},
                matrix,
                *tactics,
                _technique("T1609", "Container Administration Command", ["execution"], ["Containers"]),
                _technique("T1611", "Escape to Host", ["execution"], ["Containers"], revoked=True),
                _technique("T1612", "Build Image on Host", ["execution"], ["Linux"], x_mitre_deprecated=True),
                _technique("T1543", "Create or Modify System Process", ["persistence"], ["Linux"]),
                _technique("T1543.005", "Container Service", ["persistence", "execution"], ["Containers"]),
                _technique("T1001", "Data Obfuscation", ["execution"], ["Linux"]),
            )
        )
    )
    out = tmp_path / "extract.json"
    assert tool.main([str(source), "--commit", "0" * 40, "--output", str(out)]) == 0
    made = json.loads(out.read_text())
    assert (made["version"], made["commit"]) == ("99.1", "0" * 40)
    assert list(made["tactics"]) == ["execution", "persistence"]
    got = made["techniques"]
    assert got["T1609"] == {
        "name": "Container Administration Command",
        "tactics": ["execution"],
        "containers": True,
        "status": "active",
    }
    assert (got["T1611"]["status"], got["T1612"]["status"]) == ("revoked", "deprecated")
    assert got["T1543.005"]["tactics"] == ["execution", "persistence"]
    assert got["T1543"]["containers"] is False  # kept as the parent of a listed sub-technique
    assert "T1001" not in got  # neither Containers nor named by kubeguard
    assert "T1190" in made["absent"]  # named by kubeguard, missing from this made-up release
    assert "T1190" in capsys.readouterr().err
