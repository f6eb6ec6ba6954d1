"""Reports of real scans, and hostile findings, for the report-format tests."""

from __future__ import annotations

import dataclasses
from functools import cache
from pathlib import Path

from kubeguard.api import scan
from kubeguard.findings.report import Finding, ScanReport
from kubeguard.model.resource import ObjectRef

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"

#: Text that would be markup, HTML, a link, a mention or a table break if it were not escaped.
HOSTILE = "a|b <script>alert(1)</script> [x](https://evil.example) ![i](https://evil.example/i.png) `c` *d* @someone #1\nnext"


@cache
def _example_report() -> ScanReport:
    return scan([str(EXAMPLES / "insecure")])


def example_report() -> ScanReport:
    """A fresh copy of the scan of examples/insecure (tests may change it)."""
    r = _example_report()
    return dataclasses.replace(r, findings=list(r.findings), warnings=list(r.warnings), errors=list(r.errors))


def hostile_finding(base: Finding, n: int = 0) -> Finding:
    obj = ObjectRef(base.object.api_version, base.object.kind, "ns<b>", f"name-{n}|<i>x</i>")
    return dataclasses.replace(base, object=obj, message=f"{HOSTILE} {n}", file="dir/`odd`|file.yaml")
