"""Every rule against its fixtures: exactly the ``fail-`` objects are flagged, at the expected fields."""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest

from kubeguard.engine.registry import all_rules
from kubeguard.findings.report import Evaluation
from kubeguard.model.pointer import Pointer
from tests.casekit import EXPECT, EXPECT_MESSAGE, case_dir, case_files, expected_line, run_rule_on_file

CASES = [
    pytest.param(rule, path, id=f"{rule.code}-{path.name}")
    for rule in all_rules()
    if (folder := case_dir(rule)) is not None
    for path in case_files(folder)
]


@pytest.mark.parametrize(("rule", "path"), CASES)
def test_rule_flags_exactly_the_fail_objects(rule, path):
    run = run_rule_on_file(rule, path)
    flagged = defaultdict(list)
    for f in run.report.findings:
        flagged[(f.object.kind, f.object.namespace, f.object.name)].append(f)
    expected = {(r.ref.kind, r.ref.namespace, r.ref.name) for r in run.objects if r.name.startswith("fail-")}
    assert expected, f"{path} has no fail- objects"
    assert set(flagged) == expected, (
        f"{rule.code} on {path.name}: missed {sorted(expected - set(flagged))}, "
        f"wrongly flagged {sorted(set(flagged) - expected)}"
    )
    fingerprints = Counter(f.fingerprint for f in run.report.findings)
    collided = sorted(
        {(f.object.name, f.pointer, f.key) for f in run.report.findings if fingerprints[f.fingerprint] > 1}
    )
    assert not collided, (
        f"{rule.code} on {path.name}: findings share a fingerprint (same object, pointer and key); "
        f"give each distinct problem a Violation key: {collided}"
    )
    outcome = {(obj.kind, obj.namespace, obj.name): ev for _code, obj, ev in run.report.evaluations}
    text = path.read_text()
    for r in run.objects:
        key = (r.ref.kind, r.ref.namespace, r.ref.name)
        if r.name.startswith("pass-"):
            assert outcome[key] is Evaluation.PASS, (
                f"{r.ref}: named pass- but {outcome[key].name}; name an out-of-scope case na-..."
            )
        elif r.name.startswith("na-"):
            assert outcome[key] is Evaluation.NOT_APPLICABLE, f"{r.ref}: named na- but {outcome[key].name}"
        want = r.annotations.get(EXPECT)
        if r.name.startswith("fail-"):
            assert want, f"{r.ref}: a fail- case must name the field it is flagged at ({EXPECT})"
        if want:
            got = sorted({f.pointer for f in flagged[key]})
            assert got == sorted(p.strip() for p in want.split(",")), f"{r.ref}: pointers {got}"
            for f in flagged[key]:
                parts = (*r.source.base, *Pointer.parse(f.pointer))
                line = expected_line(text, r.source.document, parts)
                assert f.line == line, (
                    f"{r.ref}: {f.pointer} reported at line {f.line}, written at line {line}"
                )
        want_msg = r.annotations.get(EXPECT_MESSAGE)
        if want_msg:
            for f in flagged[key]:
                assert want_msg in f.message, f"{r.ref}: message {f.message!r} lacks {want_msg!r}"
        for f in flagged[key]:
            assert f.line is not None, f"{r.ref}: finding without a line"
