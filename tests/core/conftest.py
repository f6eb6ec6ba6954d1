from __future__ import annotations

import textwrap
from pathlib import Path

import pytest


@pytest.fixture
def write(tmp_path: Path):
    """write("a/b.yaml", text) -> Path, dedenting the text."""

    def _write(rel: str, text: str | bytes) -> Path:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text).lstrip("\n"))
        return path

    return _write


POD = """
apiVersion: v1
kind: Pod
metadata:
  name: {name}
  namespace: ns
spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext:
        readOnlyRootFilesystem: {ro}
"""


def pod(name: str = "p", ro: str = "true") -> str:
    return POD.format(name=name, ro=ro)
