"""etcd's environment: every flag can also be given as ``ETCD_<FLAG_NAME>``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kubeguard.model.controlplane.flags import Flag
from kubeguard.model.pointer import Pointer


def etcd_env_flags(container: Mapping[str, Any], pointer: Pointer) -> list[Flag]:
    """etcd reads every flag from ``ETCD_<FLAG_NAME>`` as well (a command-line flag wins)."""
    env = container.get("env")
    out: list[Flag] = []
    if not isinstance(env, list):
        return out
    for i, item in enumerate(env):
        if not isinstance(item, dict):
            continue
        name = item.get("name")
        value = item.get("value")
        if isinstance(name, str) and name.startswith("ETCD_") and isinstance(value, (str, int, bool)):
            text = str(value).lower() if isinstance(value, bool) else str(value)
            out.append(Flag(name[5:].lower().replace("_", "-"), text, pointer / "env" / i / "value", "env"))
    return out
