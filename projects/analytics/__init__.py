"""Cross-cutting reads of the portfolio: money totals, timeline rows, the participation
matrix and everything the cooperation did for one municipality across mergers.

Every function here runs a fixed number of SQL queries whatever the amount of data, and
returns plain data classes ready for templates and for `projects.charts`. One module per
part (filters, money, timeline, matrix, municipality); `from projects import analytics;
analytics.X` reaches every public name through the re-exports below.
"""

from projects.analytics.filters import (
    NO_FILTER,
    PortfolioFilter,
)
from projects.analytics.matrix import (
    ROLE_RANK,
    Matrix,
    MatrixCell,
    MatrixColumn,
    MatrixRow,
    participation_matrix,
)
from projects.analytics.money import (
    BENEFIT,
    CENT,
    COST,
    GRANT,
    ZERO,
    MoneyByYear,
    MoneyTotals,
    MunicipalityAccountMoney,
    MunicipalityMoney,
    ProjectMoney,
    Series,
    TopProjects,
    YearRow,
    money_by_year,
    money_for_municipality,
    money_series,
    money_top_projects,
    money_totals_by_municipality,
    money_totals_by_project,
    money_totals_by_year,
    series_key,
    spread_amount,
    sum_totals,
)
from projects.analytics.municipality import (
    MoneyLine,
    MunicipalityActivity,
    MunicipalityOverview,
    ParticipationLine,
    guest_municipalities,
    municipality_activity,
    municipality_overview,
)
from projects.analytics.timeline import (
    Timeline,
    TimelineRow,
    ordered_projects,
    period_label,
    timeline_rows,
)

__all__ = [
    "BENEFIT",
    "CENT",
    "COST",
    "GRANT",
    "NO_FILTER",
    "ROLE_RANK",
    "ZERO",
    "Matrix",
    "MatrixCell",
    "MatrixColumn",
    "MatrixRow",
    "MoneyByYear",
    "MoneyLine",
    "MoneyTotals",
    "MunicipalityAccountMoney",
    "MunicipalityActivity",
    "MunicipalityMoney",
    "MunicipalityOverview",
    "ParticipationLine",
    "PortfolioFilter",
    "ProjectMoney",
    "Series",
    "Timeline",
    "TimelineRow",
    "TopProjects",
    "YearRow",
    "guest_municipalities",
    "money_by_year",
    "money_for_municipality",
    "money_series",
    "money_top_projects",
    "money_totals_by_municipality",
    "money_totals_by_project",
    "money_totals_by_year",
    "municipality_activity",
    "municipality_overview",
    "ordered_projects",
    "participation_matrix",
    "period_label",
    "series_key",
    "spread_amount",
    "sum_totals",
    "timeline_rows",
]
