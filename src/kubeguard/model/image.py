"""Container image references, parsed once the way the container runtime reads them.

``[registry[:port]/]path[:tag][@digest]``: the first path component is a registry host when it
contains ``.`` or ``:``, is ``localhost``, or has upper-case letters (the Docker reference rules);
otherwise the image comes from Docker Hub (``docker.io``), where a one-component name lives under
``library/``. ``index.docker.io`` and ``registry-1.docker.io`` are Docker Hub too. A digest pins the
content whatever the tag says: ``nginx:1.27@sha256:...`` runs the digest.

A digest counts as a pin only when it is a valid OCI digest of a registered algorithm (OCI image-spec,
descriptor.md "Registered algorithms"): ``sha256`` with 64, ``sha512`` with 128 lower-case hex digits.
The kubelet parses references with distribution/reference and go-digest, which reject anything else
(upper-case hex, a short or long value, an algorithm go-digest does not implement) as
``InvalidImageName``; ``blake3`` (registered by OCI) is not implemented by the go-digest the kubelet
vendors, and ``sha384`` (implemented by go-digest) is not registered by OCI, so neither counts. A
reference whose digest has the general shape ``algorithm:encoded`` but fails these rules still parses,
with :attr:`ImageRef.digest_problem` saying why it is no pin.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from functools import lru_cache

DOCKER_HUB = "docker.io"
_HUB_ALIASES = frozenset({"docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"})

_TAG_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")
# The general digest shape: the union of the OCI grammar (lower-case algorithm components, encoded
# [a-zA-Z0-9=_-]+) and distribution/reference's (algorithm components starting with a letter, any
# case). Only the registered forms in _REGISTERED_DIGESTS are pins.
_DIGEST_RE = re.compile(r"^[A-Za-z0-9]+(?:[-_+.][A-Za-z0-9]+)*:[A-Za-z0-9=_-]+$")
#: algorithm -> number of lower-case hex digits (OCI image-spec, registered algorithms).
_REGISTERED_DIGESTS = {"sha256": 64, "sha512": 128}
_LOWER_HEX_RE = re.compile(r"^[0-9a-f]+$")
_PATH_RE = re.compile(r"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$")
_SPACE_RE = re.compile(r"\s")
_HOST_RE = re.compile(r"^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(?::[0-9]+)?$")


@dataclass(frozen=True, slots=True)
class ImageRef:
    """A parsed image reference.

    ``registry`` is the normalised host (``docker.io`` for Docker Hub, port kept:
    ``registry.local:5000``); ``repository`` the path inside it (``library/nginx``); ``tag`` and
    ``digest`` as written (``None`` when absent). ``registry_explicit`` says whether the reference
    named its registry.
    """

    raw: str
    registry: str
    repository: str
    tag: str | None
    digest: str | None
    registry_explicit: bool

    @property
    def name(self) -> str:
        """``registry/repository``, fully qualified (``docker.io/library/nginx``)."""
        return f"{self.registry}/{self.repository}"

    @property
    def pinned(self) -> bool:
        """Pinned by a valid digest: the content cannot change under the same reference."""
        return self.digest is not None and digest_problem(self.digest) is None

    @property
    def digest_problem(self) -> str | None:
        """Why the written digest is no valid OCI digest (``None`` when it is, or when there is none)."""
        return None if self.digest is None else digest_problem(self.digest)

    @property
    def effective_tag(self) -> str | None:
        """The tag the runtime pulls when there is no digest (``latest`` when none is written)."""
        if self.digest is not None:
            return self.tag
        return self.tag or "latest"

    @property
    def latest_or_untagged(self) -> bool:
        """No digest, and the tag is ``latest`` or missing (which means ``latest``)."""
        return self.digest is None and (self.tag is None or self.tag == "latest")

    def default_pull_policy(self) -> str:
        """Kubernetes' default ``imagePullPolicy``: ``Always`` for ``:latest`` or no tag (and no
        digest), ``IfNotPresent`` otherwise (also for an invalid digest: the API server's defaulting
        ignores the parse error and finds no tag)."""
        return "Always" if self.latest_or_untagged else "IfNotPresent"

    def in_registry(self, pattern: str) -> bool:
        """Whether this image comes from ``pattern``: a registry host glob (``*.corp.example``,
        ``registry.local:5000``) or, when the pattern has a ``/``, a ``registry/path`` prefix glob
        (``ghcr.io/acme`` matches ``ghcr.io/acme/api``). Docker Hub aliases count as ``docker.io``.
        """
        pat = pattern.strip().rstrip("/")
        if not pat:
            return False
        host, sep, path = pat.partition("/")
        host = _normal_host(host)
        if not fnmatch.fnmatchcase(self.registry, host):
            return False
        if not sep:
            return True
        repo = self.repository
        return fnmatch.fnmatchcase(repo, path) or fnmatch.fnmatchcase(repo, path + "/*")


def digest_problem(digest: str) -> str | None:
    """Why ``digest`` (``algorithm:encoded``) is not a valid OCI digest of a registered algorithm."""
    algorithm, _, encoded = digest.partition(":")
    size = _REGISTERED_DIGESTS.get(algorithm)
    if size is None:
        return f"algorithm {algorithm!r} is not a registered OCI digest algorithm (sha256, sha512)"
    if not _LOWER_HEX_RE.match(encoded):
        kind = (
            "upper-case hex digits"
            if _LOWER_HEX_RE.match(encoded.lower())
            else "characters other than hex digits"
        )
        return f"{algorithm} needs {size} lower-case hex digits, the value has {kind}"
    if len(encoded) != size:
        return f"{algorithm} needs {size} lower-case hex digits, the value has {len(encoded)} digits"
    return None


def _normal_host(host: str) -> str:
    host = host.lower()
    return DOCKER_HUB if host in _HUB_ALIASES else host


@lru_cache(maxsize=32768)
def parse_image(text: str) -> ImageRef | None:
    """Parse an image reference; ``None`` when it is empty or not a valid reference (for example an
    unrendered template such as ``{{ .Values.image }}``)."""
    ref = text.strip()
    if not ref or ref != text or _SPACE_RE.search(ref):
        return None
    name, at, digest = ref.partition("@")
    if at and not _DIGEST_RE.match(digest):
        return None
    first, slash, rest = name.partition("/")
    if slash and ("." in first or ":" in first or first == "localhost" or first != first.lower()):
        if not _HOST_RE.match(first):
            return None
        registry, remainder, explicit = _normal_host(first), rest, True
    else:
        registry, remainder, explicit = DOCKER_HUB, name, False
    last_slash = remainder.rfind("/")
    colon = remainder.rfind(":")
    tag: str | None = None
    if colon > last_slash:
        tag = remainder[colon + 1 :]
        remainder = remainder[:colon]
        if not _TAG_RE.match(tag):
            return None
    if not _PATH_RE.match(remainder):
        return None
    if registry == DOCKER_HUB and "/" not in remainder:
        remainder = "library/" + remainder
    return ImageRef(
        raw=text,
        registry=registry,
        repository=remainder,
        tag=tag,
        digest=digest if at else None,
        registry_explicit=explicit,
    )
