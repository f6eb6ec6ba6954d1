"""``.kubeguard.yaml`` is validated as a whole when it is loaded: errors name file:line and the key."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from kubeguard.api import scan
from kubeguard.cli.main import cli
from kubeguard.loading.config import ConfigError, load_config, parse_config
from kubeguard.loading.config_schema import schema

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = """\
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: ns, annotations: {ignore.kubeguard.io/WKX001: accepted}}
spec: {containers: [{name: a, image: nginx:1.27}]}
"""


def errors_of(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / ".kubeguard.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_config(str(path))
    return [line.replace(str(path), "F") for line in str(info.value).splitlines()]


def test_field_trial_sections_are_errors_with_lines_and_did_you_mean(tmp_path):
    text = "exeptions:\n  - rule: WKL001\n    reason: r\nimage: {}\nresources: [1, 2]\nimages: 5\n"
    assert errors_of(tmp_path, text) == [
        "invalid configuration:",
        "F:1: unknown key 'exeptions' (did you mean 'exceptions'?)",
        "F:4: unknown key 'image' (did you mean 'images'?)",
        "F:5: resources must be a mapping, not a list",
        "F:6: images must be a mapping, not an integer",
    ]


def test_invalid_values_inside_sections_are_config_errors(tmp_path):
    text = (
        "resources:\n  require: [requests.cpu, requests.cpux]\n"
        "serviceAccountTokens:\n  maxExpirationSeconds: 300\n"
        "secrets:\n  placeholders: ['(unclosed']\n"
        "network: {assumeComplete: maybe, istioRootNamespce: x}\n"
        "exceptions:\n  - rule: WKL001\n    reason: r\n    match: {kind: [Deployment]}\n    expires: 2027-02-30\n"
    )
    assert errors_of(tmp_path, text) == [
        "invalid configuration:",
        "F:2: resources.require[1]: unknown value 'requests.cpux' (did you mean 'requests.cpu'?); choose from "
        "requests.cpu, requests.memory, limits.cpu, limits.memory, limits.ephemeral-storage",
        "F:4: serviceAccountTokens.maxExpirationSeconds must be at least 600, not 300",
        "F:6: secrets.placeholders[0] is not a valid regular expression: "
        "missing ), unterminated subpattern at position 0",
        "F:7: network.assumeComplete must be a boolean, not a string",
        "F:7: unknown key 'istioRootNamespce' in network (did you mean 'istioRootNamespace'?)",
        "F:11: exceptions[0].match.kind must be a string, not a list",
        "F:12: exceptions[0].expires must be a date (YYYY-MM-DD)",
    ]


def test_missing_keys_and_a_manifest_given_as_config(tmp_path):
    assert errors_of(tmp_path, "exceptions:\n  - rule: WKL001\n") == ["F:2: exceptions[0] needs 'reason'"]
    assert errors_of(tmp_path, MANIFEST) == [
        "F:1: this is a Kubernetes manifest, not a kubeguard configuration "
        "(pass manifests as PATH arguments; --config takes a .kubeguard.yaml)"
    ]
    assert errors_of(tmp_path, "a: 1\n---\nb: 2\n") == ["F: holds more than one YAML document"]
    assert errors_of(tmp_path, "exceptions: [\n")[0].startswith("F: invalid YAML:")
    # YAML keeps the last of two equal keys: the first list of exceptions would vanish unseen.
    twice = "exceptions:\n  - {rule: WKL001, reason: r}\nimages: {}\nexceptions: []\n"
    assert errors_of(tmp_path, twice) == ["F:4: duplicate key 'exceptions' (only the last one would be read)"]
    merged = "base: &b {rule: WKL001, reason: r}\n"
    assert errors_of(tmp_path, merged + "exceptions:\n  - {<<: *b, reason: own}\n") == [
        "F:1: unknown key 'base'"
    ]


def test_exception_for_an_unknown_rule_is_an_error_with_did_you_mean(tmp_path):
    (tmp_path / "m.yaml").write_text(MANIFEST)
    config = tmp_path / "kg.yaml"
    config.write_text(
        "exceptions:\n  - rule: WKL001\n    reason: r\n  - rule: WKX002\n    reason: r\n"
        "  - {rule: IMG, reason: a prefix is fine}\n  - {rule: writable-root-filesystem, reason: a slug too}\n"
    )
    with pytest.raises(ConfigError) as info:
        scan([str(tmp_path / "m.yaml")], config=str(config))
    assert str(info.value) == (
        f"{config}:4: exceptions[1].rule: no rule matches 'WKX002' (did you mean 'WKL002'?) "
        "(see `kubeguard rules`)"
    )
    result = CliRunner().invoke(cli, ["scan", "--no-progress", "-c", str(config), str(tmp_path / "m.yaml")])
    assert result.exit_code == 2 and "no rule matches 'WKX002'" in result.output


def test_cli_reports_a_manifest_given_as_config(tmp_path):
    (tmp_path / "deployment.yaml").write_text(MANIFEST)
    path = str(tmp_path / "deployment.yaml")
    result = CliRunner().invoke(cli, ["scan", "--no-progress", "-c", path, path])
    assert result.exit_code == 2
    assert f"{path}:1: this is a Kubernetes manifest" in result.output


def test_cli_prints_each_configuration_problem_on_its_own_line_once(tmp_path):
    # field trial: the problems came out as one line with literal "\\n", and a missing key twice
    (tmp_path / "m.yaml").write_text(MANIFEST)
    config = tmp_path / "kg.yaml"
    config.write_text("exceptions:\n  - rule: WKL001\n    reason: r\n  - rul: WKL001\n")
    result = CliRunner().invoke(cli, ["scan", "--no-progress", "-c", str(config), str(tmp_path / "m.yaml")])
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "Error: invalid configuration:",
        f"{config}:4: exceptions[1] needs 'rule' and 'reason'",
        f"{config}:4: unknown key 'rul' in exceptions[1] (did you mean 'rule'?)",
    ]


def test_unknown_ignore_annotation_is_reported(tmp_path):
    (tmp_path / "m.yaml").write_text(MANIFEST)
    report = scan([str(tmp_path / "m.yaml")], config=parse_config(None))
    assert [w for w in report.warnings if "names no rule" in w] == [
        f"{tmp_path / 'm.yaml'}: Pod/ns/p: annotation ignore.kubeguard.io/WKX001 names no rule "
        "(did you mean 'WKL001'?) and suppresses nothing"
    ]
    (tmp_path / "m.yaml").write_text(MANIFEST.replace("WKX001", "WKL"))
    report = scan([str(tmp_path / "m.yaml")], config=parse_config(None))
    assert [w for w in report.warnings if "names no rule" in w] == [
        f"{tmp_path / 'm.yaml'}: Pod/ns/p: annotation ignore.kubeguard.io/WKL names no rule "
        "(an annotation takes one rule's code or slug, not a prefix) and suppresses nothing"
    ]
    known = MANIFEST.replace("WKX001", "WKL001")
    (tmp_path / "m.yaml").write_text(known)
    report = scan([str(tmp_path / "m.yaml")], config=parse_config(None))
    assert not [w for w in report.warnings if "names no rule" in w]


def test_ignore_annotation_without_reason_is_reported_once_on_a_pod(tmp_path):
    # A Pod's template annotations are its own annotations: one warning, not two.
    (tmp_path / "m.yaml").write_text(MANIFEST.replace("WKX001: accepted", "WKL001: ''"))
    report = scan([str(tmp_path / "m.yaml")], config=parse_config(None))
    assert len([w for w in report.warnings if "has no reason" in w]) == 1


def test_a_valid_file_loads_with_lines_and_dates(tmp_path):
    path = tmp_path / "kg.yaml"
    path.write_text(
        "# settings\nexceptions:\n  - rule: WKL011\n    reason: legacy\n"
        "    match: {kind: CronJob, namespace: batch, name: 'report-*'}\n    expires: 2027-03-31\n"
        "resources:\n  require:\nimages: {allowedRegistries: []}\nnetwork: {assumeComplete: yes}\n"
    )
    config = load_config(str(path))
    (entry,) = config.exceptions
    assert (entry.rule, entry.kind, entry.name, entry.expires, entry.line) == (
        "WKL011",
        "CronJob",
        "report-*",
        dt.date(2027, 3, 31),
        3,
    )
    assert config.section("resources") == {"require": None}
    assert config.section("network") == {"assumeComplete": True}
    # Data decoded elsewhere (yaml.safe_load makes dates) is accepted the same way.
    assert parse_config(yaml.safe_load(path.read_text())).exceptions[0].expires == dt.date(2027, 3, 31)
    assert load_config(str(_write(tmp_path, "empty.yaml", "# nothing\n"))).exceptions == ()
    # A byte-order mark (as some Windows editors write) is not part of the first key.
    (tmp_path / "bom.yaml").write_bytes(b"\xef\xbb\xbfnetwork: {assumeComplete: true}\n")
    assert load_config(str(tmp_path / "bom.yaml")).section("network") == {"assumeComplete": True}


def _write(tmp_path: Path, name: str, text: str) -> Path:
    (tmp_path / name).write_text(text)
    return tmp_path / name


def test_every_example_in_the_configuration_docs_is_valid():
    text = (ROOT / "docs/configuration.md").read_text()
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.S)
    assert len(blocks) >= 4
    for block in blocks:
        parse_config(yaml.safe_load(block))


def test_published_schema_is_the_packaged_one_and_a_valid_schema():
    published = json.loads((ROOT / "docs/kubeguard.schema.json").read_text())
    assert published == schema()
    jsonschema.Draft202012Validator.check_schema(published)


def test_every_section_the_rules_read_is_in_the_schema():
    # A family that reads a new section must describe it in the schema, or loading would reject it.
    found = set()
    for path in (ROOT / "src/kubeguard").rglob("*.py"):
        found |= set(re.findall(r'^(?:CONFIG_)?SECTION = "(\w+)"', path.read_text(), re.M))
    assert found and found <= set(schema()["properties"])
