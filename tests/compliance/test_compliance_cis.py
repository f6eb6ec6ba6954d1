"""The CIS Kubernetes Benchmark's ids, titles, labels and sections in cis-1.12.yaml, checked against
kube-bench's transcription (``cis-1.12-kube-bench.json`` beside this file, made by
``tools/gen_cis_extract.py`` from kube-bench's ``cfg/cis-1.12``; its header names the commit)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from kubeguard.compliance import frameworks

ROOT = Path(__file__).resolve().parents[2]
EXTRACT = json.loads((Path(__file__).parent / "cis-1.12-kube-bench.json").read_text(encoding="utf-8"))
CIS = frameworks()["cis-1.12"]


def test_recommendations_are_kube_benchs_ids_titles_and_labels():
    assert EXTRACT["benchmark"] == CIS.id
    ours = {c.id: [c.title, c.assessment] for c in CIS.controls}
    assert ours == EXTRACT["controls"]
    assert [c.id for c in CIS.controls] == list(EXTRACT["controls"]), "in the benchmark's order"


def test_sections_are_kube_benchs():
    for control in CIS.controls:
        section = control.id.rsplit(".", 1)[0] if control.id.count(".") > 1 else control.id.split(".")[0]
        assert control.section == f"{section} {EXTRACT['sections'][section]}", control.id


def test_generator_reads_titles_labels_and_sections(tmp_path):
    spec = importlib.util.spec_from_file_location("gen_cis_extract", ROOT / "tools" / "gen_cis_extract.py")
    assert spec and spec.loader
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    cfg = tmp_path / "cfg" / "cis-9.9"
    cfg.mkdir(parents=True)
    (cfg / "master.yaml").write_text(
        "groups:\n"
        "  - id: 1.1\n"
        "    text: Control Plane  Files\n"
        "    checks:\n"
        "      - id: 1.1.10\n"
        '        text: "Ensure the second (Manual)"\n'
        "      - id: 1.1.2\n"
        '        text: "Ensure the\n          first (Automated)"\n'
    )
    out = tmp_path / "out.json"
    assert (
        tool.main([str(tmp_path), "--benchmark", "cis-9.9", "--commit", "0" * 40, "--output", str(out)]) == 0
    )
    made = json.loads(out.read_text())
    assert made["sections"] == {"1.1": "Control Plane Files"}
    assert made["controls"] == {
        "1.1.2": ["Ensure the first", "automated"],
        "1.1.10": ["Ensure the second", "manual"],
    }
    assert list(made["controls"]) == ["1.1.2", "1.1.10"]
    assert made["commit"] == "0" * 40
