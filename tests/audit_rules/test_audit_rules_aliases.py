"""Falco and Panther parity, held true: every rule of Falco's k8saudit plugin (the committed list of
its 48 names, extracted from falcosecurity/plugins) is an alias of exactly one AUD rule, and no AUD
rule names a Falco rule that does not exist."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from kubeguard.engine.registry import all_audit_rules

HERE = Path(__file__).parent


def _lines(name: str) -> list[str]:
    text = (HERE / name).read_text()
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


FALCO = _lines("falco_k8saudit_rules.txt")


def _aliases(tool: str) -> Counter[str]:
    return Counter(name for r in all_audit_rules() for name in r.aliases_by_tool().get(tool, []))


def test_the_falco_list_is_the_48_rules_of_the_plugin():
    assert len(FALCO) == 48
    assert len(set(FALCO)) == 48
    assert {
        "K8s Deployment Created",
        "port-forward",
        "Create/Modify Configmap With Private Credentials",
    } <= set(FALCO)


def test_every_falco_rule_is_an_alias_of_exactly_one_aud_rule():
    aliased = _aliases("falco")
    missing = [name for name in FALCO if aliased[name] == 0]
    assert not missing, f"Falco rules no AUD rule covers: {missing}"
    twice = sorted(name for name, n in aliased.items() if n > 1)
    assert not twice, f"Falco rules aliased by several AUD rules: {twice}"
    unknown = sorted(set(aliased) - set(FALCO))
    assert not unknown, f"aliases naming no Falco k8saudit rule (spelling must be exact): {unknown}"


def test_falco_informational_rules_are_info_severity():
    from kubeguard.rules.rule import Severity

    for rule in all_audit_rules():
        for name in rule.aliases_by_tool().get("falco", []):
            if name.startswith("K8s ") and name.endswith((" Created", " Deleted")):
                assert rule.severity is Severity.INFO, (rule.code, name)
