"""How a deadline is worded, the same in findings and on the site."""

from __future__ import annotations

import datetime as dt


def days(n: int) -> str:
    """Return "1 day" or "N days"."""
    return f"{n} day" if n == 1 else f"{n} days"


def deadline(due: dt.date, as_of: dt.date) -> str:
    """Return "N days overdue (due DATE)", "due today (DATE)" or "due in N days (DATE)"."""
    late = (as_of - due).days
    if late > 0:
        return f"{days(late)} overdue (due {due})"
    if late == 0:
        return f"due today ({due})"
    return f"due in {days(-late)} ({due})"
