"""Panther parity, held true: every Panther Kubernetes detection in the committed list (extracted from
panther-labs/panther-analysis: its Kubernetes, EKS and GKE rules, the Kubernetes scheduled rules and
the AKS rule) is an alias of exactly one AUD rule, and no AUD rule names an id the list lacks."""

from __future__ import annotations

from collections import Counter

from kubeguard.engine.registry import all_audit_rules
from tests.audit_rules.mapping_doc import panther_rules


def test_the_panther_list_is_complete_and_unique():
    ids = [rule_id for rule_id, _path in panther_rules()]
    assert len(ids) == len(set(ids)) == 58
    folders = Counter(path.split("/")[1] for _id, path in panther_rules())
    assert folders == {
        "kubernetes_rules": 30,
        "gcp_k8s_rules": 9,
        "aws_eks_rules": 3,
        "kubernetes_queries": 15,
        "azure_activity_rules": 1,
    }


def test_every_panther_rule_is_an_alias_of_exactly_one_aud_rule():
    ids = {rule_id for rule_id, _path in panther_rules()}
    aliased = Counter(name for r in all_audit_rules() for name in r.aliases_by_tool().get("panther", []))
    missing = sorted(ids - set(aliased))
    assert not missing, f"Panther detections no AUD rule covers: {missing}"
    twice = sorted(name for name, n in aliased.items() if n > 1)
    assert not twice, f"Panther detections aliased by several AUD rules: {twice}"
    unknown = sorted(set(aliased) - ids)
    assert not unknown, f"aliases naming no Panther detection in the list: {unknown}"
