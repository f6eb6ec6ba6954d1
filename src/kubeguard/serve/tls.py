"""TLS for kubeguard's servers: a server SSLContext (TLS 1.2 or newer) whose certificate is reloaded
when its files change.

Certificates rotate under a running server (cert-manager renews them and the kubelet swaps the
mounted Secret's files). :class:`CertificateWatcher` polls the files' status and, when they changed,
loads the new pair into the *same* context: handshakes after that present the new certificate, and
connections already open keep theirs, so nothing is dropped. A pair that does not load (a key that
does not match the certificate, a file written half-way) is tried on a scratch context first and
never reaches the live one: the server keeps its old certificate and tries again at the next poll.
"""

from __future__ import annotations

import asyncio
import logging
import os
import ssl
from dataclasses import dataclass

log = logging.getLogger("kubeguard.serve")


@dataclass(frozen=True)
class TlsFiles:
    """Where a server's certificate chain and key are; ``client_ca_file`` turns on mutual TLS.

    The client CA bundle is read once, at start: a new bundle needs a restart (OpenSSL can add CAs
    to a live context but not take them away).
    """

    cert_file: str
    key_file: str
    client_ca_file: str | None = None


def _fresh_context() -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def server_context(files: TlsFiles) -> ssl.SSLContext:
    """A server context for ``files``: TLS 1.2 minimum, HTTP/1.1 by ALPN, client certificates required
    and verified against ``client_ca_file`` when one is given. Raises ``OSError``/``ssl.SSLError``
    naming the problem when the files cannot be loaded."""
    context = _fresh_context()
    context.load_cert_chain(files.cert_file, files.key_file)
    context.set_alpn_protocols(["http/1.1"])
    if files.client_ca_file:
        context.load_verify_locations(cafile=files.client_ca_file)
        context.verify_mode = ssl.CERT_REQUIRED
    return context


def _stamp(path: str) -> tuple[int, int, int]:
    # stat follows symlinks, so the kubelet's atomic swap of a Secret volume's ..data link is seen
    st = os.stat(path)
    return (st.st_ino, st.st_mtime_ns, st.st_size)


class CertificateWatcher:
    """Reloads ``files`` into ``context`` when they change (see the module docstring).

    Call :meth:`check` to look once (it returns whether a new certificate was loaded), or run
    :meth:`watch` as a task on the server's event loop: loading there means no handshake is being
    set up from the context while it changes.
    """

    def __init__(self, context: ssl.SSLContext, files: TlsFiles) -> None:
        self.context = context
        self.files = files
        self.reloads = 0
        self._stamps = self._current()
        self._failed: tuple[tuple[int, int, int], ...] | None = None

    def _current(self) -> tuple[tuple[int, int, int], ...] | None:
        try:
            return (_stamp(self.files.cert_file), _stamp(self.files.key_file))
        except OSError:
            return None

    def check(self) -> bool:
        stamps = self._current()
        if stamps is None or stamps == self._stamps:
            return False
        try:
            # a pair that does not load must never reach the live context: a certificate whose key
            # does not match would leave it without a usable key
            _fresh_context().load_cert_chain(self.files.cert_file, self.files.key_file)
            self.context.load_cert_chain(self.files.cert_file, self.files.key_file)
        except (OSError, ssl.SSLError) as exc:
            if stamps == self._failed:  # said once per state of the files
                return False
            self._failed = stamps
            log.warning(
                "certificate %s / key %s changed but could not be loaded (%s); still serving the previous "
                "certificate, trying again",
                self.files.cert_file,
                self.files.key_file,
                exc,
            )
            return False
        self._stamps = stamps
        self.reloads += 1
        log.info("certificate reloaded from %s", self.files.cert_file)
        return True

    async def watch(self, interval: float) -> None:
        """Check every ``interval`` seconds until cancelled."""
        while True:
            await asyncio.sleep(interval)
            self.check()
