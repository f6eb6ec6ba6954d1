"""Redaction: the only way a secret value may appear in anything kubeguard writes.

Every message that concerns a credential shows the key and the kind of secret found, and at most
:func:`hint` of the value: a few of its first characters and its length. Short values show no
characters at all, so a hint never gives away more than a quarter of a value (four characters at
most), enough to recognise a token's format (``AKIA``, ``ghp_``, ``xoxb``) and nothing more.
"""

from __future__ import annotations

#: The most characters a hint ever shows.
MAX_SHOWN = 4

_ELLIPSIS = "\u2026"


def shown_prefix(value: str) -> str:
    """The characters of ``value`` a hint may show: none below 10 characters, 2 below 16, else 4.

    Only printable ASCII other than spaces and quotes is shown; the prefix stops at anything else.
    """
    n = len(value)
    count = MAX_SHOWN if n >= 16 else 2 if n >= 10 else 0
    out = []
    for ch in value[:count]:
        if not ("!" <= ch <= "~") or ch in "\"'`\\":
            break
        out.append(ch)
    return "".join(out)


def hint(value: str | bytes) -> str:
    """A redacted description of a secret value: ``AKIA… (20 chars)``, ``(6 chars)``, ``(512 bytes)``.

    Bytes that are not UTF-8 text are described by their length only.
    """
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError:
            return f"({len(value)} bytes of binary data)"
    n = len(value)
    unit = "char" if n == 1 else "chars"
    prefix = shown_prefix(value)
    return f"{prefix}{_ELLIPSIS} ({n} {unit})" if prefix else f"({n} {unit})"
