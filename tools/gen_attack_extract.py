"""Generate ``tests/compliance/attack-enterprise.json``: the part of MITRE ATT&CK that kubeguard names.

    git clone https://github.com/mitre/cti    # or download enterprise-attack/enterprise-attack.json
    python tools/gen_attack_extract.py cti/enterprise-attack [--attack-version 18.1] [--commit SHA]

SOURCE is MITRE's official STIX 2 data for Enterprise ATT&CK: either the bundle
``enterprise-attack.json`` (mitre/cti or mitre-attack/attack-stix-data) or a folder of STIX files,
such as mitre/cti's ``enterprise-attack/`` (one bundle per object). The extract keeps, for each
technique it lists, the official name, the tactics (kill chain phases), whether the Containers
platform is among its platforms, and whether it is revoked or deprecated. It lists:

- every technique and sub-technique of the Containers platform (the ATT&CK Containers matrix);
- every technique id written anywhere under ``src/`` and ``docs/`` (framework files, rule metadata,
  rule documentation), whatever its status, so that a revoked or deprecated id is reported as such;
- the parent of every sub-technique listed.

Tactics are listed in the Enterprise matrix's order, each technique's tactics in that order too.

The ATT&CK version is read from the bundle's collection object when SOURCE has one, else it must be
given (mitre/cti's commit subjects name it: "ATT&CK v18.1 Enterprise"); the commit is read with git
when SOURCE is in a git checkout, else it must be given. tests/compliance/test_compliance_attack.py
checks the catalogue against the committed extract; rerun this script to move to a new ATT&CK release.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "compliance" / "attack-enterprise.json"
TECHNIQUE_ID = re.compile(r"\bT1\d{3}(?:\.\d{3})?\b")
URL_ID = re.compile(r"attack\.mitre\.org/techniques/(T1\d{3})(?:/(\d{3}))?")


def stix_objects(source: Path) -> Iterator[dict[str, Any]]:
    """Every STIX object of a bundle file, or of every JSON file under a folder."""
    files = sorted(source.rglob("*.json")) if source.is_dir() else [source]
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        yield from data.get("objects", []) if data.get("type") == "bundle" else [data]


def attack_id(obj: dict[str, Any]) -> str | None:
    for ref in obj.get("external_references", []):
        if ref.get("source_name") == "mitre-attack":
            return str(ref.get("external_id"))
    return None


def used_ids() -> set[str]:
    """Technique ids kubeguard writes: in framework files, rule code and docs, and ATT&CK URLs."""
    found: set[str] = set()
    for folder in ("src", "docs"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix not in {".py", ".yaml", ".md", ".json"} or not path.is_file():
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            found.update(TECHNIQUE_ID.findall(text))
            found.update(f"{t}.{s}" if s else t for t, s in URL_ID.findall(text))
    return found


def git_commit(source: Path) -> str | None:
    folder = source if source.is_dir() else source.parent
    try:
        out = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.strip() or None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("source", type=Path, help="enterprise-attack.json, or a folder of STIX files")
    parser.add_argument("--attack-version", help="ATT&CK release (read from the bundle when it has it)")
    parser.add_argument("--commit", help="commit of the source repository (read with git when possible)")
    parser.add_argument("--source-url", default="https://github.com/mitre/cti", help="the source repository")
    parser.add_argument("--output", type=Path, default=OUT)
    args = parser.parse_args(argv)

    techniques: dict[str, dict[str, Any]] = {}
    tactics: dict[str, tuple[str, str]] = {}  # STIX id -> (short name, name)
    matrix_order: list[str] = []
    version = args.attack_version
    seen: set[str] = set()
    for obj in stix_objects(args.source):
        kind = obj.get("type")
        if obj.get("id") in seen:  # a checkout holds the bundle and the same objects one per file
            continue
        seen.add(str(obj.get("id")))
        if kind == "x-mitre-collection" and not args.attack_version:
            version = str(obj.get("x_mitre_version"))
        elif kind == "x-mitre-tactic" and not obj.get("revoked") and not obj.get("x_mitre_deprecated"):
            tactics[str(obj["id"])] = (str(obj["x_mitre_shortname"]), str(obj["name"]))
        elif kind == "x-mitre-matrix" and attack_id(obj) == "enterprise-attack":
            matrix_order = [str(ref) for ref in obj.get("tactic_refs", [])]
        elif kind == "attack-pattern":
            tid = attack_id(obj)
            phases = [
                p for p in obj.get("kill_chain_phases", []) if p.get("kill_chain_name") == "mitre-attack"
            ]
            if tid is None or not re.fullmatch(r"T\d{4}(\.\d{3})?", tid):
                continue
            if tid in techniques:
                sys.exit(f"{tid} appears twice in {args.source}")
            status = (
                "revoked"
                if obj.get("revoked")
                else "deprecated"
                if obj.get("x_mitre_deprecated")
                else "active"
            )
            techniques[tid] = {
                "name": str(obj["name"]),
                "tactics": [str(p["phase_name"]) for p in phases],
                "containers": "Containers" in obj.get("x_mitre_platforms", []),
                "status": status,
            }
    # tactics in the matrix's order (Reconnaissance ... Impact), as ATT&CK lists a technique's
    order = [tactics[ref] for ref in matrix_order if ref in tactics] or sorted(tactics.values())
    rank = {short: i for i, (short, _) in enumerate(order)}
    for tech in techniques.values():
        tech["tactics"].sort(key=lambda short: rank.get(short, len(rank)))
    commit = args.commit or git_commit(args.source)
    if not techniques or not tactics:
        sys.exit(f"{args.source}: no Enterprise ATT&CK techniques or tactics found")
    if not version or not commit:
        sys.exit("give --attack-version and --commit: the source does not say them")

    wanted = {t for t, v in techniques.items() if v["containers"] and v["status"] == "active"}
    used = used_ids()
    missing = sorted(used - set(techniques))
    wanted |= used & set(techniques)
    wanted |= {t.split(".")[0] for t in wanted}
    lines = [f"  {json.dumps(t)}: {json.dumps(techniques[t], ensure_ascii=False)}" for t in sorted(wanted)]
    header = {
        "about": "MITRE ATT&CK techniques kubeguard names or the Containers platform has; "
        "generated by tools/gen_attack_extract.py, do not edit",
        "attack": "Enterprise ATT&CK",
        "version": version,
        "source": args.source_url,
        "commit": commit,
        "absent": missing,
        "tactics": dict(order),
    }
    body = json.dumps(header, indent=1, ensure_ascii=False)[:-2]
    text = body + ',\n "techniques": {\n' + ",\n".join(lines) + "\n }\n}\n"
    json.loads(text)  # the hand-made layout (one technique a line) must stay valid JSON
    args.output.write_text(text, encoding="utf-8")
    print(f"{args.output}: {len(wanted)} techniques of Enterprise ATT&CK {version} ({commit[:12]})")
    for tid in missing:
        print(f"  {tid} is named by kubeguard but is not an Enterprise ATT&CK technique", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
