"""The ``secrets:`` section of ``.kubeguard.yaml``, read once per scan.

```yaml
secrets:
  placeholders:            # values your team writes instead of a secret (regular expressions,
    - "REPLACE_WITH_.*"    # matched against the whole value, case-insensitively)
    - "@@[A-Z_]+@@"
```

A value that fully matches one of ``placeholders`` is never reported by the SEC rules, in addition
to the built-in placeholders (``changeme``, ``${VAR}``, ``<redacted>`` ...). An invalid expression
makes the rules that read it report an ERROR naming the setting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from kubeguard.analyzers.secrets.detect import Memo
from kubeguard.rules.context import ScanContext

SECTION = "secrets"


class SecretSettingsError(ValueError):
    """An invalid ``secrets:`` setting; the message names it."""


@dataclass(frozen=True, slots=True)
class SecretSettings:
    placeholders: tuple[re.Pattern[str], ...] = ()
    error: str | None = None
    #: Detections of values already scanned in this scan (dropped with the scan, see ``detect.Memo``).
    memo: Memo = field(default_factory=dict, compare=False, repr=False)

    def validated(self) -> SecretSettings:
        """These settings; raises :class:`SecretSettingsError` when a setting is invalid."""
        if self.error is not None:
            raise SecretSettingsError(self.error)
        return self

    def is_placeholder(self, value: str) -> bool:
        """Whether ``value`` is one of the configured placeholders (the built-in ones aside)."""
        if not self.placeholders:
            return False
        v = value.strip()
        return any(p.fullmatch(v) for p in self.placeholders)


def _build(ctx: ScanContext) -> SecretSettings:
    section: dict[str, Any] = ctx.config.section(SECTION)
    raw = section.get("placeholders")
    if raw is None:
        return SecretSettings()
    if not isinstance(raw, list) or not all(isinstance(p, str) for p in raw):
        return SecretSettings(error="secrets.placeholders must be a list of regular expressions")
    compiled = []
    for pattern in raw:
        try:
            compiled.append(re.compile(pattern, re.IGNORECASE))
        except re.error as exc:
            return SecretSettings(
                error=f"secrets.placeholders: invalid regular expression {pattern!r}: {exc}"
            )
    return SecretSettings(tuple(compiled))


def secret_settings(ctx: ScanContext) -> SecretSettings:
    """The scan's ``secrets:`` settings (built once per scan)."""
    return ctx.cached(_build)
