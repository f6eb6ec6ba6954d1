"""``kubeguard webhook serve`` in a process of its own, over real TLS on loopback."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml

from tests.serve.servers import Pki, Running, wait_for

_LISTENING = re.compile(r"kubeguard serving on https://127\.0\.0\.1:(\d+)")


class Webhook(Running):
    def __init__(self, process: subprocess.Popen[bytes], port: int, pki: Pki, log: list[str]) -> None:
        super().__init__(process, port, pki.client_context())
        self.log = log


@contextmanager
def webhook(tmp: Path, pki: Pki, *args: str, config: dict[str, object] | None = None) -> Iterator[Webhook]:
    """Serve until the block ends, then stop it with SIGTERM and check that it exits cleanly."""
    command = [
        sys.executable,
        "-m",
        "kubeguard",
        "webhook",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        "--cert-file",
        str(pki.cert_file),
        "--key-file",
        str(pki.key_file),
        "--reload-interval",
        "0.2",
        *args,
    ]
    if config is not None:
        path = tmp / "kubeguard.yaml"
        path.write_text(yaml.safe_dump(config))
        command += ["--config", str(path)]
    process = subprocess.Popen(command, cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    log: list[str] = []

    def read() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            log.append(line.decode(errors="replace"))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        wait_for(
            lambda: any(_LISTENING.search(line) for line in log) or process.poll() is not None,
            "the webhook to listen",
        )
        if process.poll() is not None:
            reader.join(10)
            raise AssertionError(f"webhook exited with {process.returncode}:\n{''.join(log)}")
        port = next(int(m.group(1)) for line in log if (m := _LISTENING.search(line)))
        yield Webhook(process, port, pki, log)
        process.send_signal(signal.SIGTERM)
        assert process.wait(60) == 0, "".join(log)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        reader.join(10)
        assert not any("Traceback" in line for line in log), "".join(log)
