"""Before/after fixtures of every fixable rule: the fixed file is exactly ``after``, re-scans clean
for the fixed rules, a second run changes nothing, and every fixed object is valid for its kind.

A case is a folder under ``cases/``: ``before.yaml`` (or ``before.json``), the expected
``after.*``, and ``case.yaml`` with ``select`` (the rules whose fixes run), ``unsafe`` (apply
unsafe fixes), ``config`` (a ``.kubeguard.yaml``), ``options`` (ScanOptions fields),
``remaining`` (rules that keep a finding by design: the case explains why) and
``dropped_comments`` (end-of-line comments on lines the fix removes). ``python -m tests.fix.test_fix_cases NAME`` rewrites ``after``
from the current output, to be reviewed line by line.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from kubeguard.api import fix
from kubeguard.engine.registry import find_rule
from kubeguard.rules.context import ScanOptions

CASES = Path(__file__).parent / "cases"
ALL = sorted(p for p in CASES.iterdir() if p.is_dir())
#: The Kubernetes version whose OpenAPI schema the fixed objects must satisfy.
K8S = "1.35.0"


def _before(case: Path) -> Path:
    return next(case.glob("before.*"))


def _run(case: Path, tmp: Path, *, write: bool = True) -> tuple[Path, Any, dict[str, Any]]:
    meta = yaml.safe_load((case / "case.yaml").read_text())
    source = _before(case)
    target = tmp / f"{case.name}{source.suffix}"
    if not target.exists():
        shutil.copyfile(source, target)
    config = tmp / ".kubeguard.yaml"
    config.write_text(yaml.safe_dump(meta.get("config") or {}))
    result = fix(
        [str(target)],
        select=meta["select"],
        unsafe_fixes=bool(meta.get("unsafe")),
        config=str(config),
        options=ScanOptions(**meta.get("options", {})),
        write=write,
    )
    return target, result, meta


def _line_comments(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.lstrip().startswith("#")]


def _end_of_line_comments(text: str) -> list[str]:
    return [
        line.split(" #", 1)[1].strip()
        for line in text.splitlines()
        if " #" in line and not line.lstrip().startswith("#")
    ]


@pytest.mark.parametrize("case", ALL, ids=[c.name for c in ALL])
def test_fix_case(case: Path, tmp_path: Path) -> None:
    target, result, meta = _run(case, tmp_path)
    before = _before(case).read_text()
    after = (case / f"after{target.suffix}").read_text()
    fixed = target.read_text()
    assert fixed == after
    assert fixed != before, "the case must change something"
    # Every comment line of the original is still there, in order; so is every end-of-line comment,
    # except on a line the fix removes (the case names those).
    assert _line_comments(fixed) == _line_comments(before)
    dropped = meta.get("dropped_comments", [])
    assert [c for c in _end_of_line_comments(before) if c not in dropped] == _end_of_line_comments(fixed)
    # The rules fixed re-scan clean, except where the case says a finding stays by design.
    remaining = {f.rule.code for f in result.report.findings if f.rule.code in meta["select"]}
    assert remaining == set(meta.get("remaining", []))
    for f in result.report.findings:
        assert f.fix is None or (f.fix == "unsafe" and not meta.get("unsafe")), f"{f.rule.code} still fixable"
    # Idempotent: a second run changes nothing.
    again = fix(
        [str(target)],
        select=meta["select"],
        unsafe_fixes=bool(meta.get("unsafe")),
        config=str(tmp_path / ".kubeguard.yaml"),
        options=ScanOptions(**meta.get("options", {})),
    )
    assert again.changes == [] and target.read_text() == after
    # Every fixed object is valid for its kind, as the API server's schema says.
    docs = [json.loads(fixed)] if target.suffix == ".json" else list(yaml.safe_load_all(fixed))
    for doc in docs:
        if doc:
            kubernetes_validate.validate(doc, K8S, strict=True)


@pytest.mark.parametrize("case", ALL, ids=[c.name for c in ALL])
def test_diff_matches_the_fix_and_writes_nothing(case: Path, tmp_path: Path) -> None:
    target, result, _meta = _run(case, tmp_path, write=False)
    assert target.read_text() == _before(case).read_text()
    assert len(result.changes) == 1
    change = result.changes[0]
    assert change.after == (case / f"after{target.suffix}").read_text()
    diff = change.diff()
    assert diff.startswith("--- a/") and "\n+++ b/" in diff


def test_every_fixable_rule_has_a_case() -> None:
    covered = set()
    for case in ALL:
        covered.update(yaml.safe_load((case / "case.yaml").read_text())["select"])
    from kubeguard.engine.registry import all_rules

    fixable = {r.code for r in all_rules() if r.fix is not None}
    assert fixable <= covered, f"no before/after case for {sorted(fixable - covered)}"
    assert all(find_rule(code) is not None for code in covered)


if __name__ == "__main__":  # regenerate after.* for the named cases (review the result!)
    import tempfile

    for name in sys.argv[1:]:
        case = CASES / name
        with tempfile.TemporaryDirectory() as tmp:
            target, _result, _meta = _run(case, Path(tmp))
            (case / f"after{target.suffix}").write_text(target.read_text())
            print(f"wrote {case.name}/after{target.suffix}")
