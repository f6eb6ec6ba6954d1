"""``kubeguard audit config``: the policy logs what every AUD rule needs, never credentials, and
passes kubeguard's own audit-policy rules; the kubeconfig references credentials by path."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from kubeguard.analyzers.controlplane.audit import LEVEL_RANK, Policy, Request
from kubeguard.api import scan
from kubeguard.cli.main import cli
from kubeguard.engine.registry import all_audit_rules
from kubeguard.findings.report import Evaluation
from kubeguard.receiver.setup import SENSITIVE, audit_policy, webhook_kubeconfig
from kubeguard.rules.audit import AuditRule, on
from kubeguard.rules.rule import Severity

AUDIT_POLICY_RULES = ("CP100", "CP101", "CP102", "CP103", "CP104")
SOME_VERBS = ("get", "list", "watch", "create", "update", "patch", "delete")


def policy_file(tmp_path: Path, rules: list[AuditRule]) -> Path:
    path = tmp_path / "audit-policy.yaml"
    path.write_text(yaml.safe_dump(audit_policy(rules), sort_keys=False))
    return path


def test_the_policy_passes_kubeguards_audit_policy_rules(tmp_path: Path):
    report = scan([str(policy_file(tmp_path, list(all_audit_rules())))], select=["CP"], config=None)
    assert not report.errors and not report.findings, [f.message for f in report.findings]
    judged = {code: ev for code, obj, ev in report.evaluations if obj.kind == "Policy"}
    assert {c: judged[c] for c in AUDIT_POLICY_RULES} == dict.fromkeys(AUDIT_POLICY_RULES, Evaluation.PASS)


def test_the_policy_logs_every_request_an_aud_rule_reads_at_the_level_it_needs():
    policy = Policy(audit_policy(list(all_audit_rules())))
    sensitive = {(g, r) for g, r in SENSITIVE}
    for rule in all_audit_rules():
        d = rule.on
        groups = sorted(d.api_groups) if d.api_groups is not None else ["", "apps", "example.com"]
        resources = sorted(d.resources) if d.resources is not None else ["pods", "nodes", "widgets"]
        subs = sorted(d.subresources) if d.subresources is not None else ["", "status"]
        verbs = sorted(d.verbs) if d.verbs is not None else SOME_VERBS
        for group in groups:
            for resource in resources:
                for sub in subs:
                    name = f"{resource}/{sub}" if sub else resource
                    needed = (
                        "Metadata"
                        if (group, name) in sensitive or (group, resource) in sensitive
                        else rule.level
                    )
                    for verb in verbs:
                        for namespace in ("", "shop"):
                            req = Request(verb, group, resource, sub, namespace, "x")
                            got = policy.level(req)
                            assert LEVEL_RANK[got] >= LEVEL_RANK[needed], (rule.code, req.describe(), got)


def test_credentials_stay_at_metadata_even_when_a_rule_wants_their_bodies(tmp_path: Path):
    greedy = AuditRule(
        code="AUD999",
        slug="greedy",
        title="t",
        severity=Severity.LOW,
        on=on(
            verbs=("create", "update"), resources=("configmaps", "widgets"), api_groups=("", "example.com")
        ),
        check=lambda e, c: None,
        remediation="r",
        level="Request",
    )
    policy = Policy(audit_policy([greedy]))
    assert policy.level(Request("create", "", "configmaps", "", "ns", "x")) == "Metadata"
    assert policy.level(Request("create", "example.com", "widgets", "", "ns", "x")) == "Request"
    assert policy.level(Request("create", "", "widgets", "", "ns", "x")) == "Request"
    assert policy.level(Request("get", "", "secrets", "", "ns", "x")) == "Metadata"
    assert policy.level(Request("get", path="/healthz")) == "None"
    assert policy.level(Request("get", path="/api")) == "Metadata"
    report = scan([str(policy_file(tmp_path, [greedy]))], select=["CP"])
    assert not report.findings


def test_a_request_level_rule_must_name_groups_and_resources():
    with pytest.raises(ValueError, match="must name api_groups and resources"):
        AuditRule(
            "AUD998", "x", "t", Severity.LOW, on(verbs="create"), lambda e, c: None, "r", level="Request"
        )


def test_kubeconfig_references_credentials_by_path():
    token = webhook_kubeconfig("https://kg:8443/", "/ca.crt", token_file="/run/token")
    assert token["users"][0]["user"] == {"tokenFile": "/run/token"}
    assert token["clusters"][0]["cluster"] == {
        "server": "https://kg:8443/",
        "certificate-authority": "/ca.crt",
    }
    cert = webhook_kubeconfig("https://kg:8443/", "/ca.crt", client_cert="/c.crt", client_key="/c.key")
    assert cert["users"][0]["user"] == {"client-certificate": "/c.crt", "client-key": "/c.key"}


def test_cli_prints_both_documents_or_one():
    both = CliRunner().invoke(cli, ["audit", "config", "--server", "https://kg.example:8443/"])
    assert both.exit_code == 0
    docs = list(yaml.safe_load_all(both.output))
    assert [d["kind"] for d in docs] == ["Config", "Policy"]
    assert docs[0]["clusters"][0]["cluster"]["server"] == "https://kg.example:8443/"
    only = CliRunner().invoke(cli, ["audit", "config", "--only", "policy"])
    assert [d["kind"] for d in yaml.safe_load_all(only.output)] == ["Policy"]
    bad = CliRunner().invoke(cli, ["audit", "config", "--client-cert", "/c.crt"])
    assert bad.exit_code == 2
