"""Generate ``src/kubeguard/loading/fieldtypes.json``: the JSON types of every field of the built-in kinds.

    pip install 'kubernetes-validate>=1.35'
    python tools/gen_fieldtypes.py [--kubernetes 1.37.0] [--check]

The source is the Kubernetes OpenAPI schema as the ``kubernetes-validate`` package ships it
(``kubernetes-json-schema/v<version>-local/_definitions.json``). The table keeps only what a type
check needs: for each built-in group/version/kind its root type, and for each type reachable from
those roots the type of each field, written compactly:

    s string   b boolean   i int32   l int64   n number
    q quantity (string or number)   x int-or-string (string or integer)   * anything
    [T  a list of T          {T  a map of string to T          other  a type of the table

``--check`` regenerates in memory and fails when the committed table differs (the test suite does the
same when kubernetes-validate is installed). The table is committed; nothing generates it at build time.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from importlib import metadata, resources
from typing import Any

OUT = os.path.join(os.path.dirname(__file__), "..", "src", "kubeguard", "loading", "fieldtypes.json")
DEFAULT_KUBERNETES = "1.37.0"

# Leaf types written by name in the OpenAPI schema, and what the API server's decoder accepts there.
NAMED_LEAVES = {
    "io.k8s.apimachinery.pkg.api.resource.Quantity": "q",  # "500m" or 0.5
    "io.k8s.apimachinery.pkg.util.intstr.IntOrString": "x",  # "50%" or 8080
    "io.k8s.apimachinery.pkg.apis.meta.v1.Time": "s",
    "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime": "s",
    # Raw JSON holders: their decoders accept any JSON value.
    "io.k8s.apimachinery.pkg.runtime.RawExtension": "*",
    "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1": "*",
    "io.k8s.apimachinery.pkg.apis.meta.v1.Patch": "*",
}
PREFIXES = (
    "io.k8s.api.",
    "io.k8s.apimachinery.pkg.apis.",
    "io.k8s.apiextensions-apiserver.pkg.apis.",
    "io.k8s.kube-aggregator.pkg.apis.",
)


def _short(name: str) -> str:
    for prefix in PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def _types(schema: dict[str, Any]) -> list[str]:
    kind = schema.get("type")
    if kind is None:
        return []
    return [t for t in ([kind] if isinstance(kind, str) else kind) if t != "null"]


class Generator:
    def __init__(self, defs: dict[str, Any]) -> None:
        self.defs = defs
        self.types: dict[str, dict[str, str]] = {}

    def ref(self, ref: str) -> str:
        name = ref.rsplit("/", 1)[-1]
        if name in NAMED_LEAVES:
            return NAMED_LEAVES[name]
        schema = self.defs[name]
        if "properties" not in schema:
            # A string-like type, or an object or value the decoder takes whole (JSON, JSONSchemaPropsOr*).
            kinds = _types(schema)
            return self.leaf(schema) if kinds and kinds != ["object"] else "*"
        short = _short(name)
        if short not in self.types:
            self.types[short] = {}  # placeholder first: types refer to themselves (JSONSchemaProps)
            self.types[short] = {
                field: self.spec(prop) for field, prop in sorted(schema["properties"].items())
            }
        return short

    def leaf(self, schema: dict[str, Any]) -> str:
        kinds = _types(schema)
        if len(kinds) != 1:
            raise SystemExit(f"unexpected schema shape: {schema}")
        kind = kinds[0]
        if kind == "string":
            return "s"
        if kind == "boolean":
            return "b"
        if kind == "number":
            return "n"
        if kind == "integer":
            return "i" if schema.get("format") == "int32" else "l"
        raise SystemExit(f"unexpected leaf type {kind!r}: {schema}")

    def spec(self, schema: dict[str, Any]) -> str:
        if "$ref" in schema:
            return self.ref(schema["$ref"])
        kinds = _types(schema)
        if kinds == ["array"]:
            return "[" + self.spec(schema["items"])
        if kinds == ["object"]:
            extra = schema.get("additionalProperties")
            return "{" + self.spec(extra) if isinstance(extra, dict) else "*"
        if not kinds:
            return "*"
        return self.leaf(schema)


def definitions(kubernetes: str) -> tuple[dict[str, Any], str]:
    try:
        root = resources.files("kubernetes_validate").joinpath("kubernetes-json-schema")
    except ModuleNotFoundError:
        raise SystemExit(
            "kubernetes-validate is not installed: pip install 'kubernetes-validate>=1.37'"
        ) from None
    path = root.joinpath(f"v{kubernetes}-local", "_definitions.json")
    if not path.is_file():
        raise FileNotFoundError(f"kubernetes-validate ships no schema for Kubernetes {kubernetes}")
    source = f"kubernetes-validate {metadata.version('kubernetes-validate')}, v{kubernetes}-local"
    return json.loads(path.read_text(encoding="utf-8"))["$defs"], source


def generate(kubernetes: str = DEFAULT_KUBERNETES) -> dict[str, Any]:
    defs, source = definitions(kubernetes)
    gen = Generator(defs)
    kinds: dict[str, dict[str, str]] = {}
    for name, schema in sorted(defs.items()):
        if name.startswith("io.k8s.apimachinery."):
            continue  # meta types (Status, DeleteOptions, WatchEvent) that many groups share
        for gvk in schema.get("x-kubernetes-group-version-kind", []):
            if gvk["kind"].endswith("List"):
                continue  # lists are unpacked; their items are checked one by one
            api = f"{gvk['group']}/{gvk['version']}" if gvk["group"] else gvk["version"]
            kinds.setdefault(api, {})[gvk["kind"]] = gen.ref(name)
    return {
        "kubernetes": kubernetes,
        "source": source.split(",")[1].strip(),
        "kinds": kinds,
        "types": dict(sorted(gen.types.items())),
    }


def render(table: dict[str, Any]) -> str:
    # One type per line, so that a regenerated table reads as a small diff.
    lines = ["{"]
    lines.append(f'"kubernetes": {json.dumps(table["kubernetes"])},')
    lines.append(f'"source": {json.dumps(table["source"])},')
    lines.append(f'"kinds": {json.dumps(table["kinds"], sort_keys=True, separators=(",", ":"))},')
    lines.append('"types": {')
    items = list(table["types"].items())
    for i, (name, fields) in enumerate(items):
        comma = "," if i < len(items) - 1 else ""
        lines.append(f"{json.dumps(name)}: {json.dumps(fields, separators=(',', ':'))}{comma}")
    lines.append("}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kubernetes", default=None, help="schema version (default: the committed table's)")
    ap.add_argument("--check", action="store_true", help="fail if the committed table is not current")
    ap.add_argument("--output", default=OUT)
    args = ap.parse_args()
    version = args.kubernetes
    if version is None:
        try:
            with open(args.output, encoding="utf-8") as fh:
                version = json.load(fh)["kubernetes"]
        except (OSError, ValueError, KeyError):
            version = DEFAULT_KUBERNETES
    try:
        text = render(generate(version))
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 3  # the installed kubernetes-validate no longer ships that version: not a stale table
    if args.check:
        with open(args.output, encoding="utf-8") as fh:
            if fh.read() != text:
                print(f"{args.output} is not current: run python tools/gen_fieldtypes.py", file=sys.stderr)
                return 1
        return 0
    with open(args.output, "w", encoding="utf-8") as fh:
        fh.write(text)
    print(f"wrote {args.output}: {len(json.loads(text)['types'])} types")
    return 0


if __name__ == "__main__":
    sys.exit(main())
