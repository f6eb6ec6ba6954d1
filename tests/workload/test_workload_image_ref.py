"""The shared image reference parser: registries, Docker Hub defaults, ports, tags and digests."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from kubeguard.model.image import ImageRef, parse_image

DIGEST = "sha256:" + "ab" * 32


@pytest.mark.parametrize(
    ("text", "registry", "repository", "tag", "digest"),
    [
        ("nginx", "docker.io", "library/nginx", None, None),
        ("nginx:1.27", "docker.io", "library/nginx", "1.27", None),
        ("library/nginx:latest", "docker.io", "library/nginx", "latest", None),
        ("bitnami/redis:7.2", "docker.io", "bitnami/redis", "7.2", None),
        ("docker.io/nginx", "docker.io", "library/nginx", None, None),
        ("index.docker.io/library/nginx:1", "docker.io", "library/nginx", "1", None),
        ("registry-1.docker.io/acme/app:2", "docker.io", "acme/app", "2", None),
        ("ghcr.io/acme/api:1.4.2", "ghcr.io", "acme/api", "1.4.2", None),
        ("localhost/app", "localhost", "app", None, None),
        ("localhost:5000/app:1.0", "localhost:5000", "app", "1.0", None),
        ("registry.local:5000/team/app", "registry.local:5000", "team/app", None, None),
        ("myreg:5000/team/app:v2", "myreg:5000", "team/app", "v2", None),
        ("[::1]:5000/app:1", "[::1]:5000", "app", "1", None),
        ("app:5000", "docker.io", "library/app", "5000", None),
        (f"nginx@{DIGEST}", "docker.io", "library/nginx", None, DIGEST),
        (f"nginx:1.27@{DIGEST}", "docker.io", "library/nginx", "1.27", DIGEST),
        (f"registry.local:5000/app:1@{DIGEST}", "registry.local:5000", "app", "1", DIGEST),
        ("Registry.Example.COM/app", "registry.example.com", "app", None, None),
        (
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1",
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
            "app",
            "1",
            None,
        ),
    ],
)
def test_parse_image_reference(text, registry, repository, tag, digest):
    ref = parse_image(text)
    assert ref is not None
    assert (ref.registry, ref.repository, ref.tag, ref.digest) == (registry, repository, tag, digest)
    assert ref.raw == text


@pytest.mark.parametrize(
    "text",
    [
        "",
        " nginx",
        "nginx ",
        "{{ .Values.image }}",
        "${IMAGE}",
        "NGINX",
        "nginx:",
        "nginx@{{ .Values.digest }}",
        "nginx@sha256:",
        "nginx:bad/tag",
        "ghcr.io/",
        "a b",
        "nginx:" + "x" * 129,
    ],
)
def test_invalid_references_are_none(text):
    assert parse_image(text) is None


@pytest.mark.parametrize(
    ("digest", "problem"),
    [
        ("sha256:" + "ab" * 32, None),
        ("sha512:" + "ab" * 64, None),
        ("sha256:abc", "sha256 needs 64 lower-case hex digits, the value has 3 digits"),
        ("sha256:" + "ab" * 33, "the value has 66 digits"),
        ("sha512:" + "ab" * 32, "sha512 needs 128 lower-case hex digits, the value has 64 digits"),
        ("sha256:" + "AB" * 32, "upper-case hex digits"),
        ("sha256:" + "xy" * 32, "characters other than hex digits"),
        ("SHA256:" + "ab" * 32, "algorithm 'SHA256' is not a registered"),
        ("md5:" + "ab" * 16, "algorithm 'md5' is not a registered"),
        # go-digest implements sha384 but OCI does not register it; OCI registers blake3 but the
        # go-digest the kubelet vendors does not implement it: neither is a pin.
        ("sha384:" + "ab" * 48, "algorithm 'sha384'"),
        ("blake3:" + "ab" * 32, "algorithm 'blake3'"),
        ("multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8", "algorithm 'multihash+base58'"),
    ],
)
def test_only_valid_registered_digests_pin(digest, problem):
    ref = parse_image(f"ghcr.io/acme/app:1.2@{digest}")
    assert ref is not None and ref.digest == digest and ref.tag == "1.2"
    if problem is None:
        assert ref.pinned and ref.digest_problem is None
    else:
        assert not ref.pinned
        assert ref.digest_problem is not None and problem in ref.digest_problem


def test_invalid_digest_is_no_pin_for_pull_policy():
    # The API server's defaulting ignores the parse error and finds no tag: IfNotPresent.
    ref = parse_image("nginx@sha256:abc")
    assert ref is not None and not ref.pinned
    assert ref.default_pull_policy() == "IfNotPresent"


def test_latest_and_untagged_and_default_pull_policy():
    assert parse_image("nginx").latest_or_untagged  # type: ignore[union-attr]
    assert parse_image("nginx:latest").latest_or_untagged  # type: ignore[union-attr]
    assert not parse_image("nginx:latest-1").latest_or_untagged  # type: ignore[union-attr]
    assert not parse_image(f"nginx:latest@{DIGEST}").latest_or_untagged  # type: ignore[union-attr]
    assert not parse_image(f"nginx@{DIGEST}").latest_or_untagged  # type: ignore[union-attr]
    assert parse_image("nginx").default_pull_policy() == "Always"  # type: ignore[union-attr]
    assert parse_image("nginx:1.27").default_pull_policy() == "IfNotPresent"  # type: ignore[union-attr]
    assert parse_image(f"nginx@{DIGEST}").default_pull_policy() == "IfNotPresent"  # type: ignore[union-attr]
    assert parse_image("registry.local:5000/app").default_pull_policy() == "Always"  # type: ignore[union-attr]


def test_registry_explicit():
    assert not parse_image("nginx").registry_explicit  # type: ignore[union-attr]
    assert parse_image("docker.io/nginx").registry_explicit  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "pattern", "expected"),
    [
        ("nginx", "docker.io", True),
        ("nginx", "index.docker.io", True),
        ("nginx", "docker.io/library", True),
        ("bitnami/redis", "docker.io/library", False),
        ("ghcr.io/acme/api", "ghcr.io/acme", True),
        ("ghcr.io/acme/team/api", "ghcr.io/acme", True),
        ("ghcr.io/acme-evil/api", "ghcr.io/acme", False),
        ("ghcr.io/acme", "ghcr.io/acme/", True),
        ("registry.local:5000/app", "registry.local:5000", True),
        ("registry.local:5000/app", "registry.local", False),
        ("registry.local/app", "registry.local:5000", False),
        ("a.dkr.ecr.eu-west-1.amazonaws.com/app", "*.dkr.ecr.eu-west-1.amazonaws.com", True),
        ("registry.example.com.evil.io/app", "registry.example.com", False),
        ("REGISTRY.example.com/app", "registry.EXAMPLE.com", True),
        ("nginx", "", False),
    ],
)
def test_in_registry(text, pattern, expected):
    ref = parse_image(text)
    assert isinstance(ref, ImageRef)
    assert ref.in_registry(pattern) is expected


# No dots: a first component with a dot is a registry host, by design.
_component = st.from_regex(r"[a-z0-9]{1,8}(?:[_-][a-z0-9]{1,8})?", fullmatch=True)


@given(
    host=st.sampled_from(["", "ghcr.io/", "registry.local:5000/", "localhost/", "docker.io/"]),
    path=st.lists(_component, min_size=1, max_size=3),
    tag=st.one_of(st.none(), st.from_regex(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}", fullmatch=True)),
    digest=st.one_of(st.none(), st.from_regex(r"sha256:[0-9a-f]{64}", fullmatch=True)),
)
def test_generated_references_round_trip(host, path, tag, digest):
    assume(host or len(path) == 1 or path[0] != "localhost")
    text = host + "/".join(path) + (f":{tag}" if tag else "") + (f"@{digest}" if digest else "")
    ref = parse_image(text)
    assert ref is not None
    assert ref.tag == tag and ref.digest == digest
    assert ref.repository.endswith("/".join(path))
    assert ref.registry == (host.rstrip("/") if host else "docker.io")


@given(st.text(max_size=60))
def test_arbitrary_text_never_crashes(text):
    ref = parse_image(text)
    assert ref is None or ref.raw == text
