"""Meta-tests of the framework files: schema, rule ids, every rule mapped, every control accounted for."""

from __future__ import annotations

import json
import re
from collections import Counter
from importlib import resources

import jsonschema
import pytest
import yaml

from kubeguard.compliance import EXEMPT, Framework, framework_files, frameworks, load_framework
from kubeguard.engine.registry import catalogue
from kubeguard.findings.compliance import find_framework

RULES = {r.code: r for r in catalogue()}  # manifest and audit (AUD) rules
SCHEMA = json.loads((resources.files("kubeguard.compliance") / "framework.schema.json").read_text())
#: Frameworks rules may name in Rule.compliance without a file of their own: the CIS Kubernetes
#: V1.23 Benchmark numbers a few control plane recommendations differently (docs/cis-coverage.md).
REFERENCE_ONLY = {"cis-1.23"}
FILES = framework_files()


def _exempt(code: str) -> bool:
    return code in EXEMPT or RULES[code].family in EXEMPT


@pytest.mark.parametrize("entry", FILES, ids=lambda e: e.name)
def test_framework_file_matches_schema_and_its_name(entry):
    data = yaml.safe_load(entry.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    assert entry.name == f"{data['id']}.yaml"
    ids = Counter(str(c["id"]) for c in data["controls"])
    assert [cid for cid, n in ids.items() if n > 1] == []


def test_schema_refuses_a_control_neither_mapped_manual_nor_not_covered():
    validator = jsonschema.Draft202012Validator(SCHEMA)
    base = {"id": "x", "title": "X", "version": "1"}
    assert not validator.is_valid({**base, "controls": [{"id": "1", "title": "t"}]})
    assert not validator.is_valid(
        {
            **base,
            "controls": [{"id": "1", "title": "t", "rules": ["WKL001"], "not-covered": "because of this"}],
        }
    )
    assert not validator.is_valid({**base, "controls": [{"id": "1", "title": "t", "rules": ["wkl1"]}]})
    assert validator.is_valid(
        {
            **base,
            "controls": [{"id": "1", "title": "t", "rules": ["WKL001"], "manual": "check the rest of it"}],
        }
    )


@pytest.mark.parametrize("fw", list(frameworks().values()), ids=lambda f: f.id)
def test_every_rule_a_framework_names_exists(fw: Framework):
    unknown = sorted({code for c in fw.controls for code in c.rules if code not in RULES})
    assert unknown == [], f"{fw.id} names rules that do not exist"


@pytest.mark.parametrize("fw", list(frameworks().values()), ids=lambda f: f.id)
def test_every_control_is_mapped_manual_or_not_covered(fw: Framework):
    for c in fw.controls:
        assert c.title, (fw.id, c.id)
        assert c.rules or c.manual or c.not_covered, (fw.id, c.id)
        assert not (c.rules and c.not_covered), (fw.id, c.id)
        assert {code for code, _ in c.fields} <= set(c.rules), (fw.id, c.id)


@pytest.mark.parametrize("code", sorted(RULES))
def test_every_rule_maps_to_a_framework_in_the_files(code):
    mapped = {fw.id for fw in frameworks().values() for c in fw.controls if code in c.rules}
    if code in EXEMPT:
        assert not mapped, f"{code} is mapped now ({sorted(mapped)}): drop it from compliance.EXEMPT"
    elif not _exempt(code):
        assert mapped, f"{code} maps to no framework control: add it to a file under compliance/frameworks"


def test_exemptions_name_real_rules_and_say_why():
    for key, reason in EXEMPT.items():
        # a family may be listed before its rules land (audit rules are being added)
        assert key in RULES or re.fullmatch(r"[A-Z]+", key), key
        assert len(reason) > 20, key


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_own_compliance_ids_are_listed_in_the_files(code):
    rule = RULES[code]
    if _exempt(code):
        return
    fws = frameworks()
    for fid, ids in rule.compliance.items():
        if fid in REFERENCE_ONLY:
            continue
        assert fid in fws, f"{code} names framework {fid!r}, which has no file"
        for cid in ids:
            control = next((c for c in fws[fid].controls if c.id == cid), None)
            assert control is not None, f"{code} names {fid} {cid}, which the file does not have"
            assert code in control.rules, f"{fid} {cid} does not list {code}, which names it"


def test_cis_has_every_recommendation_of_sections_1_to_5():
    cis = frameworks()["cis-1.12"]
    per_section = Counter(c.id.split(".")[0] for c in cis.controls)
    # CIS Kubernetes Benchmark v1.12.0 (kube-bench cfg/cis-1.12): 60 + 7 + 5 + 25 + 34 = 131 recommendations
    assert per_section == {"1": 60, "2": 7, "3": 5, "4": 25, "5": 34}
    assert {c.assessment for c in cis.controls} == {"automated", "manual"}
    by_id = {c.id: c for c in cis.controls}
    # v1.12 numbering of section 5 (5.2.12 is HostPorts, general policies are 5.6)
    assert by_id["5.2.12"].rules == ("PSS005",)
    assert "WKL012" in by_id["5.6.4"].rules
    assert "5.7.1" not in by_id and "5.2.13" not in by_id


def test_framework_names_on_the_command_line():
    for name, fid in {
        "cis-1.12": "cis-1.12",
        "nsa": "nsa",
        "mitre": "mitre-attack",
        "pci-4.0": "pci-4.0",
        "soc2": "soc2",
        "iso27001": "iso27001",
        "hipaa": "hipaa",
    }.items():
        assert find_framework(name).id == fid
    names = [n for fw in frameworks().values() for n in (fw.id, *fw.aliases)]
    assert len(names) == len(set(names))


def test_malformed_framework_is_refused_with_its_name():
    from kubeguard.compliance import FrameworkError

    with pytest.raises(FrameworkError, match=r"broken\.yaml"):
        load_framework("broken.yaml", {"title": "no id"})
    with pytest.raises(FrameworkError, match=r"broken\.yaml"):
        load_framework("broken.yaml", {"id": "x", "controls": [{"title": "no id"}]})
