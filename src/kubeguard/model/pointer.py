"""JSON pointers (RFC 6901) as tuples of keys and indexes, cheap to build and to extend."""

from __future__ import annotations

from typing import Any


class Pointer(tuple[str | int, ...]):
    """A path to a field inside one resource: ``Pointer(("spec", "containers", 0))``.

    ``pointer / "securityContext"`` extends it; ``str(pointer)`` is the RFC 6901 form.
    """

    __slots__ = ()

    def __truediv__(self, part: str | int) -> Pointer:
        return Pointer((*self, part))

    def join(self, *parts: str | int) -> Pointer:
        return Pointer((*self, *parts))

    def __str__(self) -> str:
        if not self:
            return ""
        return "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in self)

    def __repr__(self) -> str:
        return f"Pointer({str(self)!r})"

    @classmethod
    def parse(cls, text: str) -> Pointer:
        """Parse ``/a/0/b~1c``; numeric parts become indexes."""
        if text in ("", "/"):
            return ROOT
        if not text.startswith("/"):
            raise ValueError(f"JSON pointer must start with '/': {text!r}")
        parts: list[str | int] = []
        for raw in text[1:].split("/"):
            part = raw.replace("~1", "/").replace("~0", "~")
            parts.append(int(part) if part.isdigit() else part)
        return cls(parts)

    def resolve(self, document: Any) -> Any:
        """The value at this pointer inside ``document``; ``KeyError`` when absent."""
        node = document
        for part in self:
            if isinstance(node, dict) and isinstance(part, str) and part in node:
                node = node[part]
                continue
            if isinstance(node, list) and isinstance(part, int):
                index: int = part
                if 0 <= index < len(node):
                    node = node[index]
                    continue
            raise KeyError(str(self))
        return node


ROOT = Pointer(())
