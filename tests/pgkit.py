"""A throwaway PostgreSQL server for tests and benchmarks: ``initdb`` + ``pg_ctl`` in a temporary folder.

The server listens only on a Unix socket inside that folder (no TCP port at all) and trusts local
connections; it is stopped and its folder removed at the end. The binaries are found on PATH or in
Debian's ``/usr/lib/postgresql/<version>/bin`` (``.ci/run`` installs the ``postgresql`` package when
they are missing). PostgreSQL refuses to run as root, so under root (CI) the server runs as the
``postgres`` user (or ``nobody``) through ``runuser``; the folder is handed to that user.

Where no binaries exist the tests skip and say why; ``KUBEGUARD_REQUIRE_POSTGRES=1`` (set by
``.ci/run``) makes that a failure, so CI cannot pass by skipping.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field


class PostgresUnavailable(Exception):
    """No PostgreSQL server binaries, or no user to run them as."""


def find_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    return candidates[0] if candidates else None


def _run_as() -> str | None:
    """The unprivileged user to run the server as when we are root (None: run as ourselves)."""
    if os.geteuid() != 0:
        return None
    for user in ("postgres", "nobody"):
        try:
            pwd.getpwnam(user)
        except KeyError:
            continue
        return user
    raise PostgresUnavailable("running as root and neither a 'postgres' nor a 'nobody' user exists")


@dataclass
class PostgresServer:
    """A running throwaway server; :meth:`url` names a database on it."""

    folder: str
    user: str | None
    bindir: str
    _databases: int = field(default=0)

    @property
    def socket_dir(self) -> str:
        return os.path.join(self.folder, "sock")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://kubeguard@/{database}?host={self.socket_dir}"

    def _cmd(self, *args: str) -> list[str]:
        return ["runuser", "-u", self.user, "--", *args] if self.user else list(args)

    def create_database(self) -> str:
        """A new empty database; returns its URL."""
        import psycopg

        self._databases += 1
        name = f"kg_test_{self._databases}"
        with psycopg.connect(
            host=self.socket_dir, user="kubeguard", dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        subprocess.run(
            self._cmd(
                os.path.join(self.bindir, "pg_ctl"),
                "-D",
                os.path.join(self.folder, "data"),
                "-m",
                "immediate",
                "-w",
                "stop",
            ),
            capture_output=True,
            check=False,
            timeout=60,
        )
        shutil.rmtree(self.folder, ignore_errors=True)


def start(*, fsync: bool = False) -> PostgresServer:
    """Initialise and start a server; raises :class:`PostgresUnavailable` when that cannot be done.

    ``fsync=False`` (tests) trades crash safety of the throwaway cluster for speed; the benchmark
    measures with the defaults.
    """
    initdb, pg_ctl = find_bin("initdb"), find_bin("pg_ctl")
    if not initdb or not pg_ctl:
        raise PostgresUnavailable(
            "no PostgreSQL server binaries (initdb, pg_ctl) on PATH or in /usr/lib/postgresql"
        )
    user = _run_as()
    if user and not shutil.which("runuser"):
        raise PostgresUnavailable("running as root and no runuser to start PostgreSQL as another user")
    # Not under pytest's tmp folder: that is private to root, and the server's user must reach it.
    folder = tempfile.mkdtemp(prefix="kgpg-", dir="/tmp")
    os.chmod(folder, 0o755)
    os.mkdir(os.path.join(folder, "sock"))
    if user:
        info = pwd.getpwnam(user)
        for path in (folder, os.path.join(folder, "sock")):
            os.chown(path, info.pw_uid, info.pw_gid)
    server = PostgresServer(folder=folder, user=user, bindir=os.path.dirname(pg_ctl))
    data = os.path.join(folder, "data")
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    try:
        subprocess.run(
            server._cmd(initdb, "-D", data, "-U", "kubeguard", "--auth=trust", "-E", "UTF8", "--no-sync"),
            capture_output=True,
            check=True,
            timeout=120,
            env=env,
            cwd=folder,
        )
        options = f"-k {server.socket_dir} -c listen_addresses='' -c max_connections=40"
        if not fsync:
            options += " -F -c synchronous_commit=off -c full_page_writes=off"
        subprocess.run(
            server._cmd(
                pg_ctl,
                "-D",
                data,
                "-o",
                options,
                "-l",
                os.path.join(folder, "log"),
                "-w",
                "-t",
                "60",
                "start",
            ),
            capture_output=True,
            check=True,
            timeout=90,
            env=env,
            cwd=folder,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        out = getattr(exc, "stderr", b"") or b""
        log = ""
        try:
            with open(os.path.join(folder, "log"), encoding="utf-8", errors="replace") as fh:
                log = fh.read()[-2000:]
        except OSError:
            pass
        shutil.rmtree(folder, ignore_errors=True)
        raise PostgresUnavailable(
            f"could not start PostgreSQL: {exc}: {out.decode(errors='replace')[-2000:]} {log}"
        ) from None
    return server
