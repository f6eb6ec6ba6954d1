"""The ownership and permission expectations of the CIS benchmark for node files, as checks over
the :class:`~kubeguard.model.nodefile.FileFacts` of a NodeFile resource."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from kubeguard.model.nodefile import MODE, OWNER, FileFacts
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Violation

FileCheck = Callable[[FileFacts, ScanContext], Iterator[Violation]]


def permissions_check(limit: int) -> FileCheck:
    """The file's permission bits must be within ``limit`` (``0o600`` means 600 or more restrictive)."""

    def check(f: FileFacts, ctx: ScanContext) -> Iterator[Violation]:
        if f.mode is None:
            yield Violation(f"{f.path}: permissions unknown", at=MODE)
            return
        extra = f.mode & 0o7777 & ~limit
        if extra:
            yield Violation(
                f"{f.path} has permissions {f.mode & 0o7777:04o}; want {limit:03o} or more restrictive "
                f"(remove {extra:04o})",
                at=MODE,
            )

    return check


def ownership_check(user: str, group: str) -> FileCheck:
    """The file must be owned by ``user:group`` (by name; uid/gid 0 count as root)."""

    def is_(name: str | None, number: int | None, want: str) -> bool:
        if name == want:
            return True
        return want == "root" and (number == 0 or name == "0")

    def check(f: FileFacts, ctx: ScanContext) -> Iterator[Violation]:
        if not (is_(f.owner, f.uid, user) and is_(f.group, f.gid, group)):
            yield Violation(
                f"{f.path} is owned by {f.owner or f.uid}:{f.group or f.gid}; want {user}:{group}", at=OWNER
            )

    return check
