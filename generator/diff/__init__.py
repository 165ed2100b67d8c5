"""Two registries -> `Diff`: what a change does, rendered for a terminal, a PR or JSON.

Entry point: `compare(root, base)`.
"""

from .compare import Diff, compare

__all__ = ["Diff", "compare"]
