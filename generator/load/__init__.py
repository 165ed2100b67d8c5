"""Files -> `Registry`: every record file read, parsed safely and validated, with positions.

Entry point: `load_registry(root)`; git questions (history, the registry at a revision)
live in `git` and `history`.
"""

from .registry import Entry, Registry, load_registry

__all__ = ["Entry", "Registry", "load_registry"]
