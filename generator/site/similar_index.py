"""The look-up box's index: every record's stems and what the browser needs to cut a query.

`site_theme/docs/assets/similar.js` ranks records against what a reader types, with the
measure of `core.similarity` (the same stems, synonyms, stop words, 4-grams, weights and
TF-IDF over the same records), so the box and `portfolio similar` agree.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..core.names import look_alikes
from ..core.similarity import (
    GRAM,
    SUFFIXES,
    WORD_WEIGHT,
    case_folds,
    compared_text,
    terms,
    vocabulary,
)
from .pages import project_page
from .portfolio import Portfolio
from .viewtypes import RecordView

INDEX_FILE = "similar-index.json"


def export_similar_index(portfolio: Portfolio, views: Sequence[RecordView]) -> str:
    """Return the index as strict JSON."""
    vocab = vocabulary(portfolio.policy.synonyms)
    records = []
    for entry in portfolio.records:
        record = entry.record
        assert record is not None
        records.append({
            "id": record.id, "title": record.title, "stage": record.stage,
            "status": record.status, "url": project_page(record.id).removesuffix(".md") + "/",
            "terms": terms(compared_text(record), vocab),
        })  # fmt: skip
    doc = {
        "weight": WORD_WEIGHT,
        "gram": GRAM,
        "suffixes": list(SUFFIXES),
        "stop": sorted(vocab.stop),
        "synonyms": {k: list(v) for k, v in sorted(vocab.synonyms.items())},
        "look_alikes": look_alikes(),
        "case_folds": case_folds(),
        "records": records,
    }
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      allow_nan=False) + "\n"  # fmt: skip
