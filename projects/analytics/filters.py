"""What the overview pages can be narrowed to (categories, a year range)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q


@dataclass(frozen=True)
class PortfolioFilter:
    """What the overview pages can be narrowed to: categories and an inclusive year range."""

    categories: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None

    def year_in_range(self, year: int | None) -> bool:
        if year is None:
            return self.year_from is None and self.year_to is None
        if self.year_from is not None and year < self.year_from:
            return False
        return not (self.year_to is not None and year > self.year_to)

    def project_q(self, prefix: str = "") -> Q:
        """Projects in the categories whose period overlaps the year range."""
        q = Q()
        if self.categories:
            q &= Q(**{f"{prefix}category__in": list(self.categories)})
        if self.year_to is not None:
            q &= Q(**{f"{prefix}start_date__lte": dt.date(self.year_to, 12, 31)})
        if self.year_from is not None:
            q &= Q(**{f"{prefix}end_date__isnull": True}) | Q(
                **{f"{prefix}end_date__gte": dt.date(self.year_from, 1, 1)}
            )
            q &= Q(**{f"{prefix}start_date__isnull": False})
        return q


NO_FILTER = PortfolioFilter()
