"""What a record rule sees: the record, its file, the policy and the as-of date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..loading import Entry
from ..model import Record
from ..policy import Policy


@dataclass(frozen=True, slots=True)
class Context:
    """Inputs of every per-record rule."""

    record: Record
    entry: Entry
    policy: Policy
    as_of: dt.date
    last_change: dt.date | None = None
