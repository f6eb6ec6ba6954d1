"""The receiver's spool: durable appends, resumable reads, a torn tail cut, damage skipped, segments
rotated and removed once read, one process per folder."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from kubeguard.findings.audit import Alert
from kubeguard.receiver.detector import Detector
from kubeguard.receiver.spool import Position, Spool, SpoolError
from kubeguard.rules.audit import AuditContext
from tests.auditkit import audit_rule


def payloads(spool: Spool, start: Position | None = None) -> list[bytes]:
    return [p for _, p in spool.read(start or spool.committed)]


def test_appended_frames_are_read_back_and_reading_resumes_after_a_restart(tmp_path: Path):
    spool = Spool(str(tmp_path))
    for i in range(5):
        spool.append(b'{"batch": %d}' % i)
    read = list(spool.read(spool.committed))
    assert [p for _, p in read] == [b'{"batch": %d}' % i for i in range(5)]
    spool.commit(read[2][0])
    spool.close()
    again = Spool(str(tmp_path))
    assert payloads(again) == [b'{"batch": 3}', b'{"batch": 4}']
    again.close()


def test_a_torn_frame_at_the_end_is_cut_off_when_opened(tmp_path: Path):
    spool = Spool(str(tmp_path))
    spool.append(b"one")
    spool.append(b"two")
    spool.close()
    [segment] = [p for p in tmp_path.iterdir() if p.suffix == ".spool"]
    whole = segment.stat().st_size
    with open(segment, "ab") as fh:  # the process died while writing a third frame
        fh.write(b"KG\x00\x00\x00\x10\x00\x00")
    reopened = Spool(str(tmp_path))
    assert segment.stat().st_size == whole
    reopened.append(b"three")
    assert payloads(reopened) == [b"one", b"two", b"three"]
    reopened.close()


def test_a_damaged_frame_in_the_middle_is_skipped_and_counted(tmp_path: Path):
    spool = Spool(str(tmp_path))
    for word in (b"alpha-KG-inside", b"bravo", b"charlie"):
        spool.append(word)
    [segment] = [p for p in tmp_path.iterdir() if p.suffix == ".spool"]
    data = bytearray(segment.read_bytes())
    data[10 + 2] ^= 0xFF  # a byte of the first payload
    segment.write_bytes(bytes(data))
    assert payloads(spool) == [b"bravo", b"charlie"]
    assert spool.damaged == 1
    spool.close()


def test_segments_rotate_and_read_ones_are_removed(tmp_path: Path):
    spool = Spool(str(tmp_path), segment_bytes=110)
    for i in range(10):
        spool.append(b"x" * 40 + b"%d" % i)
    assert len(spool.segments()) == 5
    read = list(spool.read(spool.committed))
    assert [p[-1:] for _, p in read] == [b"%d" % i for i in range(10)]
    spool.commit(read[6][0])
    assert spool.segments() == [4, 5]
    assert [p[-1:] for p in payloads(spool)] == [b"7", b"8", b"9"]
    spool.close()


def test_one_process_per_folder(tmp_path: Path):
    first = Spool(str(tmp_path))
    with pytest.raises(SpoolError, match="in use by another process"):
        Spool(str(tmp_path))
    first.close()
    Spool(str(tmp_path)).close()


def test_wait_returns_when_a_frame_is_durable(tmp_path: Path):
    spool = Spool(str(tmp_path))
    start = spool.durable
    assert spool.wait(start, 0.01) is False
    spool.append(b"x")
    assert spool.wait(start, 0.01) is True
    spool.close()


def test_an_unusable_folder_is_an_error(tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(SpoolError, match="cannot use spool folder"):
        Spool(str(blocker / "spool"))
    assert os.path.exists(blocker)


def _exec_batch(audit_id: str) -> bytes:
    event = {
        "kind": "Event",
        "apiVersion": "audit.k8s.io/v1",
        "auditID": audit_id,
        "stage": "ResponseStarted",
        "verb": "create",
        "user": {"username": "alice"},
        "objectRef": {"resource": "pods", "subresource": "exec", "namespace": "ns", "name": "p"},
        "responseStatus": {"code": 101},
        "stageTimestamp": "2026-12-01T10:00:00Z",
    }
    return json.dumps({"kind": "EventList", "apiVersion": "audit.k8s.io/v1", "items": [event]}).encode()


def test_the_detector_sleeps_on_a_brand_new_spool_and_wakes_for_a_batch(tmp_path: Path):
    # a brand-new spool's empty first segment is "durable" beyond the starting position: a pass
    # must move past it, or every wait returns at once and the detector spins
    spool = Spool(str(tmp_path))
    alerts: list[Alert] = []
    detector = Detector(spool, [audit_rule("AUD001")], AuditContext(), [alerts.append])
    position = detector.step(spool.committed)
    assert spool.wait(position, 0.01) is False
    spool.append(_exec_batch("e1"))
    assert spool.wait(position, 0.01) is True
    position = detector.step(position)
    assert [a.event.audit_id for a in alerts] == ["e1"]
    assert spool.wait(position, 0.01) is False
    spool.close()


def test_the_detector_moves_past_damaged_frames_at_the_end(tmp_path: Path):
    spool = Spool(str(tmp_path))
    spool.append(_exec_batch("e1"))
    spool.append(_exec_batch("e2"))
    [segment] = [p for p in tmp_path.iterdir() if p.suffix == ".spool"]
    data = bytearray(segment.read_bytes())
    data[-5] ^= 0xFF  # a byte of the last payload: that frame is damaged, not torn
    segment.write_bytes(bytes(data))
    alerts: list[Alert] = []
    detector = Detector(spool, [audit_rule("AUD001")], AuditContext(), [alerts.append])
    position = detector.step(spool.committed)
    assert [a.event.audit_id for a in alerts] == ["e1"]
    assert spool.wait(position, 0.01) is False
    spool.close()
