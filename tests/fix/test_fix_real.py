"""Fixing real public manifests (tests/data/fix/real, sources in SOURCES.md): every fix applies
(no file refused), every comment stays, the result is exactly the reviewed expected file, a
second run changes nothing, and every object that validated before still validates."""

from __future__ import annotations

import difflib
import json
import shutil
import sys
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from kubeguard.api import fix

REAL = Path(__file__).parents[1] / "data" / "fix" / "real"
EXPECTED = REAL / "expected"
CONFIG = REAL / "kubeguard.yaml"
FILES = sorted(p for p in REAL.iterdir() if p.suffix in (".yaml", ".json") and p != CONFIG)
K8S = "1.35.0"
#: Documents the editor leaves alone, and why: long plain scalars folded over two lines, which
#: ruamel.yaml would join into one.
REFUSED = {
    "argo-cd-redis-ha-upstream.yaml": {"document 14", "document 15"},  # its two workloads: nothing fixed
}


def _run(source: Path, tmp: Path) -> tuple[Path, Any]:
    target = tmp / source.name
    shutil.copyfile(source, target)
    return target, fix([str(target)], unsafe_fixes=True, config=str(CONFIG))


def _docs(path: Path, text: str) -> list[Any]:
    return [json.loads(text)] if path.suffix == ".json" else list(yaml.safe_load_all(text))


def _valid(doc: Any) -> bool:
    try:
        kubernetes_validate.validate(doc, K8S, strict=True)
    except kubernetes_validate.utils.SchemaNotFoundError:
        return True  # a kind the schema set does not know (a custom resource)
    except kubernetes_validate.utils.ValidationError:
        return False
    return True


def _comment(line: str) -> str | None:
    if line.lstrip().startswith("#"):
        return line.strip()
    return line.split(" #", 1)[1].strip() if " #" in line else None


@pytest.mark.parametrize("source", FILES, ids=[p.name for p in FILES])
def test_real_manifest_fixed_faithfully(source: Path, tmp_path: Path) -> None:
    before = source.read_text()
    target, result = _run(source, tmp_path)
    after = target.read_text()
    assert {r.reason.split(":")[0] for r in result.refusals} == REFUSED.get(source.name, set())
    assert all("cannot be reproduced" in r.reason for r in result.refusals)
    assert (after != before) == (result.fixed > 0)
    assert result.fixed > 0 or source.name in REFUSED
    assert after == (EXPECTED / source.name).read_text()
    # Every comment stays: a line the fix changes keeps its comment; only a removed line loses its own.
    old, new = before.splitlines(), after.splitlines()
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag in ("replace", "delete"):
            kept = [_comment(line) for line in new[j1:j2]]
            for line in old[i1:i2]:
                comment = _comment(line)
                if comment is not None and line.lstrip().startswith("#"):
                    assert comment in kept, f"comment line lost: {line!r}"
                elif comment is not None and tag == "replace":
                    assert comment in kept, f"comment lost from a changed line: {line!r}"
    assert [c for c in map(_comment, old) if c and c.startswith("#")] == [
        c for c in map(_comment, new) if c and c.startswith("#")
    ]
    # Nothing fixable is left, and a second run changes nothing.
    refused = {int(r.reason.split(":")[0].split()[1]) - 1 for r in result.refusals}
    left = [f for f in result.report.findings if f.fix is not None and not f.suppressed]
    assert [f for f in left if f.document not in refused] == []
    assert fix([str(target)], unsafe_fixes=True, config=str(CONFIG)).changes == []
    # Every object that was valid stays valid.
    for was, now in zip(_docs(source, before), _docs(target, after), strict=True):
        if isinstance(was, dict) and was.get("kind") and _valid(was):
            assert _valid(now), f"{now.get('kind')}/{now.get('metadata', {}).get('name')} no longer validates"


if __name__ == "__main__":  # regenerate expected/ (review the diff!)
    import tempfile

    EXPECTED.mkdir(exist_ok=True)
    for source in FILES if len(sys.argv) < 2 else [REAL / n for n in sys.argv[1:]]:
        with tempfile.TemporaryDirectory() as tmp:
            target, result = _run(source, Path(tmp))
            (EXPECTED / source.name).write_text(target.read_text())
            print(f"{source.name}: {result.fixed} fixed, refused: {[r.reason for r in result.refusals]}")
