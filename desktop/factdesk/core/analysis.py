"""What a set's facts review needs beyond the alignment: check-worthy units, suggestions
and conflicts.

Worked out once per aligned set (they take seconds on large sets) and shared by the
window, the command line and the exports, so none of them computes them again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from factdesk.core.conflicts import Conflict, find_conflicts
from factdesk.core.model import ArticleSet
from factdesk.core.review import conflicts_by_passage
from factdesk.core.suggest import Suggestion, UnitIndex, all_suggestions, for_review, index_units


@dataclass
class Analysis:
    """Check-worthy units, suggested facts and conflicts (spelling variants included) of
    one set."""

    units: UnitIndex
    conflicts: list[Conflict]
    by_passage: dict[str, list[Conflict]] = field(default_factory=dict)  # real ones only
    suggestions: list[Suggestion] = field(default_factory=list)
    # the suggestions in the order to review them, each unit once (``for_review``)
    review: list[Suggestion] = field(default_factory=list)

    def real_conflicts(self) -> list[Conflict]:
        """The conflicts proper, without spelling variants."""
        return [c for c in self.conflicts if c.is_conflict]


def analyse(article_set: ArticleSet) -> Analysis:
    """Units, suggestions and conflicts of ``article_set``; safe to call from any thread."""
    units = index_units(article_set)
    conflicts = find_conflicts(article_set, include_variants=True, index=units)
    suggestions = all_suggestions(article_set, units)
    return Analysis(
        units, conflicts, conflicts_by_passage(conflicts), suggestions, for_review(suggestions)
    )
