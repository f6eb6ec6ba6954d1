"""What ``kubeguard fix`` (and ``scan --fix``/``--diff``) tells people on stderr: the files fixed,
the files left alone and why, and the patches suggested for rendered objects."""

from __future__ import annotations

import yaml

from kubeguard.api import FixResult
from kubeguard.cli.common import note


def report_fixes(result: FixResult) -> None:
    verb = "fixed" if result.written else "would fix"
    for change in result.changes:
        note(f"{change.display}: {verb} {len(change.findings)} finding(s)")
    for refusal in result.refusals:
        note(f"{refusal.file}: not edited ({refusal.findings} fixable finding(s)): {refusal.reason}")
    for s in result.suggestions:
        patch = yaml.safe_dump(s.patch, sort_keys=False, default_flow_style=False)
        note(f"{s.file}: {s.object}: suggested fix for {', '.join(s.rules)}, not applied: {s.reason}")
        for line in patch.splitlines():
            note(f"    {line}")
    summary = f"{verb} {result.fixed} finding(s) in {len(result.changes)} file(s)"
    if result.suggestions:
        summary += f"; {len(result.suggestions)} patch(es) suggested for rendered objects"
    if result.unsafe_skipped:
        summary += f"; {result.unsafe_skipped} more with an unsafe fix (--unsafe-fixes)"
    note(summary)
