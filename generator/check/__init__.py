"""`Registry` -> `Report`: every rule run, every finding located and classified.

Entry points: `run_checks(root, as_of)` -> `Report` (for the site) and
`validate(root, as_of)` -> `Summary`; a rule goes in `rules/` and `core/catalog.py`.
"""

from .engine import Report, Summary
from .run import run_checks, select, validate

__all__ = ["Report", "Summary", "run_checks", "select", "validate"]
