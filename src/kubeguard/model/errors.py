"""Input that could not be read is a value, not an exception: it names the file and the line.

Defined in the model because loading produces it and findings and reports carry it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class InputError:
    """Something in the input that could not be read or is not a valid Kubernetes object.

    ``resource`` names the object when the problem belongs to one (for example a duplicated key);
    such an object may still have been scanned.
    """

    file: str
    message: str
    line: int | None = None
    column: int | None = None
    document: int | None = None
    resource: str | None = None
    #: The document is no Kubernetes object at all (not a mapping, or neither kind nor apiVersion):
    #: a file of another tool's (package.json, mkdocs.yml) when every document of a file is so.
    foreign: bool = False

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        what = f" ({self.resource})" if self.resource else ""
        return f"{where}: {self.message}{what}"

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "document": self.document,
            "resource": self.resource,
            "message": self.message,
        }
