"""What every command pays before it starts: the heavy libraries of the store (SQLAlchemy) and the
dashboard (Starlette, Jinja2) are imported only by the commands that use them."""

from __future__ import annotations

import json
import subprocess
import sys


def test_the_cli_starts_without_the_store_and_dashboard_libraries() -> None:
    code = (
        "import sys, json, kubeguard.cli.main\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('sqlalchemy', 'starlette', 'jinja2', 'psycopg'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []
