"""Lists of names typed by editors: everyday names (俗称) and law aliases."""

from __future__ import annotations

import re

__all__ = ["split_names"]

_SPLIT_RE = re.compile(r"[、,，;；/|\n]+")


def split_names(text: str | None) -> list[str]:
    """'高空抛物、 坠物，高空抛物' -> ['高空抛物', '坠物'] (order kept, duplicates dropped)."""
    seen: dict[str, None] = {}
    for part in _SPLIT_RE.split(text or ""):
        name = part.strip()
        if name:
            seen.setdefault(name, None)
    return list(seen)
