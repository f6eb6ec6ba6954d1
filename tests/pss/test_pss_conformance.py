"""Conformance fixtures laid out as upstream's ``test/testdata``: ``<level>/<version>/<pass|fail>/*.yaml``.

Every file under ``pass`` must be allowed at its level and version and every file under ``fail``
denied. Upstream names a fail fixture after the check it exercises (``<check id lower-cased><n>``);
where the name is a check id, that check (or, at restricted, the check that overrides it) must be
among the failures. The bundled set lives in ``tests/pss/conformance``; point
``KUBEGUARD_PSA_TESTDATA`` at a checkout of ``staging/src/k8s.io/pod-security-admission/test/testdata``
to run upstream's own.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from kubeguard.analyzers.pss import CHECKS, evaluate_pod, parse_version
from kubeguard.analyzers.pss.policy import aggregate_message

ROOTS = [Path(__file__).parent / "conformance"]
if os.environ.get("KUBEGUARD_PSA_TESTDATA"):
    ROOTS.append(Path(os.environ["KUBEGUARD_PSA_TESTDATA"]))


#: Lower-cased check id -> the ids that may report it: itself, and the restricted checks overriding it.
_REPORTED_BY: dict[str, set[str]] = {ch.id.lower(): {ch.id} for ch in CHECKS}
for _ch in CHECKS:
    for _rev in _ch.revisions:
        for _overridden in _rev.overrides:
            _REPORTED_BY[_overridden.lower()].add(_ch.id)


def expected_checks(path: Path, level: str) -> set[str] | None:
    """The check ids a fail fixture named after a check may be reported by (``None``: not named so)."""
    name = path.stem.rstrip("0123456789").lower()
    ids = _REPORTED_BY.get(name)
    if ids is None:
        return None
    return ids if level == "restricted" else {i for i in ids if i.lower() == name}


def cases():
    for root in ROOTS:
        for path in sorted(root.glob("*/v1.*/*/*.yaml")):
            outcome = path.parent.name
            version = path.parent.parent.name
            level = path.parent.parent.parent.name
            if outcome in ("pass", "fail") and level in ("baseline", "restricted"):
                yield pytest.param(
                    level, version, outcome, path, id=f"{root.name}:{level}/{version}/{outcome}/{path.name}"
                )


@pytest.mark.parametrize(("level", "version", "outcome", "path"), list(cases()))
def test_conformance_fixture(level, version, outcome, path):
    pod = yaml.safe_load(path.read_text())
    results = evaluate_pod(pod.get("spec") or {}, pod.get("metadata") or {}, level, parse_version(version))
    if outcome == "pass":
        assert not results, aggregate_message(level, version, results)
    else:
        assert results, f"{path} should violate {level}:{version}"
        expected = expected_checks(path, level)
        if expected is not None:
            assert expected & {r.check for r in results}, aggregate_message(level, version, results)
