"""An append-only, fsync'd spool on disk: what the audit receiver acknowledges is never lost.

The receiver appends each batch the API server POSTs as one *frame* and fsyncs the file before it
answers 200; detection reads the frames back in order (a consumer), and records how far it got in
an offset file, written atomically (temporary file, fsync, rename, fsync of the folder). After a
crash or a ``kill -9``, the next start resumes from the recorded offset: every acknowledged batch is
read, a batch whose alerts were already written may be read again (alerts are at least once).

Layout of the folder: ``seg-<n>.spool`` segment files (a new one when the current reaches
``segment_bytes``; segments the consumer has passed are deleted, so the disk used stays bounded by
what detection has not read yet), ``offset`` (``<segment> <byte position>``), ``lock`` (held with
``flock`` by the one process using the folder).

A frame is ``KG`` + payload length (4 bytes, big-endian) + CRC-32 of the payload (4 bytes) + the
payload. A torn frame at the end (the process died while writing it, so it was never acknowledged)
is cut off when the spool is opened; a damaged frame in the middle (a disk fault) is skipped from
the next frame header found, and counted.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import struct
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

MAGIC = b"KG"
HEADER = struct.Struct(">2sII")
SEGMENT_BYTES = 64 * 1024 * 1024
MAX_FRAME = 256 * 1024 * 1024
_SEGMENT_RE = re.compile(r"^seg-(\d{8})\.spool$")


class SpoolError(RuntimeError):
    """The spool folder cannot be used (locked by another process, unwritable)."""


@dataclass(frozen=True, order=True, slots=True)
class Position:
    """A place in the spool: a segment number and a byte offset in it."""

    segment: int
    offset: int


def _fsync_dir(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Spool:
    """One spool folder, written by :meth:`append` and read by :meth:`read` (see the module docstring).

    ``append`` may be called from several threads; ``read``/``commit`` from one consumer thread.
    """

    def __init__(self, directory: str, segment_bytes: int = SEGMENT_BYTES) -> None:
        self.directory = directory
        self.segment_bytes = segment_bytes
        #: Frames found damaged (not torn at the end) and skipped.
        self.damaged = 0
        try:
            os.makedirs(directory, exist_ok=True)
            self._lock_fd = os.open(os.path.join(directory, "lock"), os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise SpoolError(f"cannot use spool folder {directory}: {exc.strerror or exc}") from None
        try:
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(self._lock_fd)
            raise SpoolError(f"spool folder {directory} is in use by another process") from None
        self._write_lock = threading.Lock()
        self._changed = threading.Condition()
        self.committed = self._read_offset()
        segments = self.segments()
        if not segments:
            segments = [max(self.committed.segment, 1)]
        self._segment = segments[-1]
        path = self._path(self._segment)
        end = self._repair(path)
        self._file = open(path, "ab")  # noqa: SIM115 - held open for appends until close()
        self.durable = Position(self._segment, end)

    # -- writing ---------------------------------------------------------------------------------

    def append(self, payload: bytes) -> Position:
        """Write one frame and fsync it; when this returns, the payload survives a crash."""
        if len(payload) > MAX_FRAME:
            raise ValueError(f"a frame is at most {MAX_FRAME} bytes")
        frame = HEADER.pack(MAGIC, len(payload), zlib.crc32(payload)) + payload
        with self._write_lock:
            if self._file.tell() > 0 and self._file.tell() + len(frame) > self.segment_bytes:
                self._rotate()
            self._file.write(frame)
            self._file.flush()
            os.fsync(self._file.fileno())
            position = Position(self._segment, self._file.tell())
        with self._changed:
            if position > self.durable:
                self.durable = position
            self._changed.notify_all()
        return position

    def _rotate(self) -> None:
        self._file.close()
        self._segment += 1
        self._file = open(self._path(self._segment), "ab")  # noqa: SIM115
        _fsync_dir(self.directory)

    # -- reading ---------------------------------------------------------------------------------

    def wait(self, after: Position, timeout: float) -> bool:
        """Wait until something beyond ``after`` is durable (True) or ``timeout`` passes (False)."""
        with self._changed:
            return self._changed.wait_for(lambda: self.durable > after, timeout)

    def wake(self) -> None:
        with self._changed:
            self._changed.notify_all()

    def read(self, start: Position) -> Iterator[tuple[Position, bytes]]:
        """``(position after the frame, payload)`` for every durable frame from ``start`` on."""
        end = self.durable
        position = start
        for segment in self.segments():
            if segment < position.segment or segment > end.segment:
                continue
            offset = position.offset if segment == position.segment else 0
            limit = end.offset if segment == end.segment else None
            try:
                fh = open(self._path(segment), "rb")  # noqa: SIM115
            except FileNotFoundError:
                continue
            with fh:
                fh.seek(offset)
                for after, payload in self._frames(fh, offset, limit):
                    position = Position(segment, after)
                    yield position, payload
            if segment < end.segment:
                position = Position(segment + 1, 0)

    def _frames(self, fh: IO[bytes], offset: int, limit: int | None) -> Iterator[tuple[int, bytes]]:
        in_damage = False  # one damaged stretch counts once, however many false headers it holds
        while limit is None or offset < limit:
            head = fh.read(HEADER.size)
            if len(head) < HEADER.size:
                return
            magic, length, crc = HEADER.unpack(head)
            payload = fh.read(length) if magic == MAGIC and length <= MAX_FRAME else b""
            if magic != MAGIC or len(payload) != length or zlib.crc32(payload) != crc:
                if limit is None:
                    return  # a torn tail (only met while repairing)
                if not in_damage:
                    self.damaged += 1
                in_damage = True
                offset = self._resync(fh, offset + 1, limit)
                if offset < 0:
                    return
                continue
            in_damage = False
            offset += HEADER.size + length
            yield offset, payload

    def _resync(self, fh: IO[bytes], start: int, limit: int) -> int:
        """The offset of the next frame header at or after ``start`` (-1 when there is none)."""
        fh.seek(start)
        data = fh.read(limit - start)
        found = data.find(MAGIC)
        if found < 0:
            return -1
        fh.seek(start + found)
        return start + found

    def commit(self, position: Position) -> None:
        """Record that everything before ``position`` has been processed; delete passed segments."""
        tmp = os.path.join(self.directory, "offset.tmp")
        with open(tmp, "w", encoding="ascii") as fh:
            fh.write(f"{position.segment} {position.offset}\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, os.path.join(self.directory, "offset"))
        _fsync_dir(self.directory)
        self.committed = position
        for segment in self.segments():
            if segment < position.segment and segment < self._segment:
                with contextlib.suppress(FileNotFoundError):
                    os.remove(self._path(segment))

    # -- housekeeping ----------------------------------------------------------------------------

    def segments(self) -> list[int]:
        found = []
        for name in os.listdir(self.directory):
            m = _SEGMENT_RE.match(name)
            if m:
                found.append(int(m.group(1)))
        return sorted(found)

    def _path(self, segment: int) -> str:
        return os.path.join(self.directory, f"seg-{segment:08d}.spool")

    def _read_offset(self) -> Position:
        try:
            with open(os.path.join(self.directory, "offset"), encoding="ascii") as fh:
                seg, off = fh.read().split()
            return Position(int(seg), int(off))
        except (FileNotFoundError, ValueError):
            return Position(0, 0)

    def _repair(self, path: str) -> int:
        """Cut a torn frame off the end of the last segment; the length of its complete frames."""
        end = 0
        try:
            with open(path, "rb") as fh:
                for after, _ in self._frames(fh, 0, None):
                    end = after
                size = fh.seek(0, os.SEEK_END)
        except FileNotFoundError:
            return 0
        if size != end:
            with open(path, "r+b") as fh:
                fh.truncate(end)
                os.fsync(fh.fileno())
        return end

    def pending(self) -> bool:
        return self.durable > self.committed

    def close(self) -> None:
        with self._write_lock:
            self._file.close()
        os.close(self._lock_fd)
