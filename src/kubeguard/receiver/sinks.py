"""Where the receiver's alerts go: JSON lines on a stream, and a Falcosidekick-compatible URL.

The URL gets one POST per alert, Falco's output shape (``output``, ``priority``, ``rule``, ``time``,
``output_fields``, ``source: k8s_audit``, ``hostname``, ``tags``), so Falcosidekick (and what it
forwards to: Slack, Loki, Elasticsearch ...) takes kubeguard's alerts as it takes Falco's. Posting
runs in a thread of its own behind a bounded queue: a slow URL delays detection only once the queue
is full, and an alert is tried ``attempts`` times before it is given up (and logged).
"""

from __future__ import annotations

import logging
import queue
import socket
import threading
import time
import urllib.error
import urllib.request
from typing import IO, Any

import orjson

from kubeguard.findings.audit import Alert
from kubeguard.reporters.audit_json import alert_dict, jsonl_line
from kubeguard.rules.rule import Severity

log = logging.getLogger("kubeguard.receiver")

#: Falco priorities for kubeguard severities.
PRIORITY = {
    Severity.CRITICAL: "Critical",
    Severity.HIGH: "Error",
    Severity.MEDIUM: "Warning",
    Severity.LOW: "Notice",
    Severity.INFO: "Informational",
}


class StreamSink:
    """One JSON line per alert on a binary stream (stdout), flushed at once."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self._lock = threading.Lock()

    def __call__(self, alert: Alert) -> None:
        line = jsonl_line(alert)
        with self._lock:
            self._stream.write(line)
            self._stream.flush()


def falco_payload(alert: Alert, hostname: str) -> dict[str, Any]:
    """The alert in Falco's output shape, as Falcosidekick expects it."""
    data = alert_dict(alert)
    priority = PRIORITY[alert.rule.severity]
    techniques = data["frameworks"].get("mitre-attack", [])
    return {
        "output": f"{data['time']}: {priority} {alert.message}",
        "priority": priority,
        "rule": alert.rule.title,
        "time": data["time"],
        "source": "k8s_audit",
        "hostname": hostname,
        "tags": ["k8s", "kubeguard", alert.rule.code, *techniques],
        "output_fields": {
            "kubeguard.rule": alert.rule.code,
            "ka.auditid": data["auditID"],
            "ka.user.name": data["user"],
            "ka.user.groups": data["groups"],
            "ka.sourceips": data["sourceIPs"],
            "ka.verb": data["verb"],
            "ka.target.resource": data["resource"],
            "ka.target.subresource": data["subresource"],
            "ka.target.namespace": data["namespace"],
            "ka.target.name": data["name"],
        },
    }


class UrlSink:
    """POSTs each alert to ``url`` from a background thread (see the module docstring)."""

    def __init__(
        self,
        url: str,
        hostname: str | None = None,
        attempts: int = 3,
        timeout: float = 5.0,
        size: int = 10_000,
    ) -> None:
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"alert URL must be http:// or https://, got {url[:40]!r}")
        self.url = url
        self.hostname = hostname or socket.gethostname()
        self.attempts = attempts
        self.timeout = timeout
        self.sent = 0
        self.failed = 0
        self._queue: queue.Queue[dict[str, Any] | None] = queue.Queue(size)
        self._thread = threading.Thread(target=self._run, name="kubeguard-alert-url", daemon=True)
        self._thread.start()

    def __call__(self, alert: Alert) -> None:
        self._queue.put(falco_payload(alert, self.hostname))

    def close(self, timeout: float = 10.0) -> None:
        """Send what is queued (for at most ``timeout`` seconds), then stop."""
        try:
            self._queue.put(None, timeout=timeout)
        except queue.Full:
            return
        self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            payload = self._queue.get()
            if payload is None:
                return
            self._post(orjson.dumps(payload))

    def _post(self, body: bytes) -> None:
        for attempt in range(self.attempts):
            request = urllib.request.Request(
                self.url, data=body, method="POST", headers={"Content-Type": "application/json"}
            )
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    response.read()
                self.sent += 1
                return
            except (urllib.error.URLError, OSError) as exc:
                reason = getattr(exc, "reason", exc)
                log.warning("alert URL: attempt %d failed: %s", attempt + 1, reason)
                time.sleep(min(2.0**attempt, 5.0))
        self.failed += 1
        log.error("alert URL: an alert was given up after %d attempts", self.attempts)
