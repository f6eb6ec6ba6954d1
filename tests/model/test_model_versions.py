"""One grammar for Kubernetes versions and PSS levels, for the command line, the library and labels."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kubeguard.api import scan
from kubeguard.cli.main import cli
from kubeguard.model.versions import LATEST, KubeVersion, PssLevel, PssPolicy, VersionError
from kubeguard.rules.context import OptionsError, ScanOptions

POD = """\
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - {name: app, image: nginx:1.27}
"""


@pytest.mark.parametrize(
    ("text", "minor"),
    [("latest", None), (" Latest ", None), ("v1.30", 30), ("1.30", 30), ("V1.0", 0), ("v1.99", 99)],
)
def test_people_spellings(text, minor):
    assert KubeVersion.parse(text) == KubeVersion(minor)


@pytest.mark.parametrize("text", ["", "v", "v0.9", "2.0", "v1.030", "v1.30.1", "1", "v1.", "lates"])
def test_bad_versions_name_the_value(text):
    with pytest.raises(VersionError, match=r'"latest" or "v1\.x"') as exc:
        KubeVersion.parse(text)
    assert repr(text) in str(exc.value)


def test_labels_are_exact():
    assert KubeVersion.parse_label("v1.25") == KubeVersion(25)
    for text in ("1.25", "V1.25", " v1.25", "Latest"):
        with pytest.raises(VersionError):
            KubeVersion.parse_label(text)
    with pytest.raises(VersionError):
        PssLevel.parse_label("Baseline")


def test_canonical_forms():
    assert str(KubeVersion.parse("1.30")) == "v1.30" and str(LATEST) == "latest"
    assert str(PssPolicy.parse(" Baseline:1.25")) == "baseline:v1.25"
    assert PssPolicy.parse("restricted") == PssPolicy(PssLevel.RESTRICTED, LATEST)
    with pytest.raises(
        VersionError, match="level must be one of privileged, baseline, restricted, not 'strict'"
    ):
        PssPolicy.parse("strict:v1.30")
    with pytest.raises(VersionError, match=r"'v1\.x\.y'"):
        PssPolicy.parse("baseline:v1.x.y")


def test_scan_options_validate_once_for_library_callers():
    # Regression: ScanOptions(pss_level="strict") used to evaluate restricted:latest silently while
    # the report printed "strict:latest".
    with pytest.raises(OptionsError, match=r"pss_level: level must be one of .* not 'strict'"):
        ScanOptions(pss_level="strict")
    with pytest.raises(OptionsError, match=r"pss_version: .*'v1\.030'"):
        ScanOptions(pss_version="v1.030")
    with pytest.raises(OptionsError, match=r"k8s_version: .*'1\.x'"):
        ScanOptions(k8s_version="1.x")
    opts = ScanOptions(pss_level="Baseline", pss_version="1.25", k8s_version="1.30")
    assert (opts.pss_level, opts.pss_version, opts.k8s_version) == ("baseline", "v1.25", "v1.30")
    assert opts.pss == PssPolicy(PssLevel.BASELINE, KubeVersion(25)) and opts.k8s == KubeVersion(30)


def test_scan_options_extra_is_read_only():
    extra = {"a": 1}
    opts = ScanOptions(extra=extra)
    extra["b"] = 2  # the caller's dict is copied
    assert dict(opts.extra) == {"a": 1}
    with pytest.raises(TypeError):
        opts.extra["c"] = 3  # type: ignore[index]


def test_report_names_what_is_evaluated(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(POD)
    report = scan(str(path), select=["PSS"], options=ScanOptions(pss_level="BASELINE", pss_version="1.30"))
    assert report.options["pss"] == "baseline:v1.30"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--pss", "strict"], "invalid --pss: level must be one of"),
        (["--pss", "baseline:v1.030"], "invalid --pss: version must be"),
        (["--k8s-version", "2.0"], "invalid --k8s-version: version must be"),
    ],
)
def test_cli_usage_errors_name_the_option(tmp_path, args, message):
    path = tmp_path / "p.yaml"
    path.write_text(POD)
    result = CliRunner().invoke(cli, ["scan", "--no-progress", str(path), *args])
    assert result.exit_code == 2 and message in result.output


def test_scan_and_pss_commands_read_level_and_version_alike(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(POD)
    scanned = CliRunner().invoke(
        cli, ["scan", "--no-progress", str(path), "--pss", "Baseline:1.30", "-f", "json"]
    )
    assert json.loads(scanned.output)["options"]["pss"] == "baseline:v1.30"
    pss = CliRunner().invoke(
        cli, ["pss", str(path), "--level", "Baseline", "--policy-version", "1.30", "-f", "json"]
    )
    assert pss.exit_code == 0, pss.output
    doc = json.loads(pss.output)
    assert (doc["level"], doc["version"]) == ("baseline", "v1.30")
