"""`Registry` -> `Report`: every rule run, every finding located and classified.

Entry point: `run_checks(root, as_of)`; a rule goes in `rules/` and `core/catalog.py`.
"""

from .engine import Report
from .run import run_checks, select

__all__ = ["Report", "run_checks", "select"]
