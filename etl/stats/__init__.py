"""Pure, typed statistical methods for cpop (intervals, comparison, trend, targets, inequality).

Why: one place for every published method, so the warehouse build, the dashboard and the
researchers' notebooks compute identical numbers. See docs/methods.md for the rules in words.
"""

from etl.stats.compare import compare_difference, compare_to_value
from etl.stats.cpop import (
    cpop_improvement_frame,
    cpop_improvement_rate,
    cpop_rating,
    cpop_rating_words,
    cpop_series_ends,
)
from etl.stats.inequality import (
    ParResult,
    SiiResult,
    absolute_gap,
    duncan_index,
    par,
    relative_gap,
    ridits,
    rii,
    sii,
    sii_grouped,
)
from etl.stats.intervals import (
    ESP2013_BANDS,
    ESP2013_WEIGHTS,
    DsrResult,
    Interval,
    byar_ci,
    dsr_dobson,
    dsr_grouped,
    poisson_count_limits,
    poisson_exact_limits,
    wilson_ci,
    z_for_level,
)
from etl.stats.targets import (
    Projection,
    probability_of_meeting_target,
    projection,
    target_status,
)
from etl.stats.trend import (
    ChiSquareTrend,
    TrendResult,
    WlsTrend,
    chi_square_trend,
    improvement_rag,
    improvement_rate,
    trend_grouped,
    trend_test,
    trend_verdict,
    wls_trend,
)

__all__ = [
    "ESP2013_BANDS",
    "ESP2013_WEIGHTS",
    "ChiSquareTrend",
    "DsrResult",
    "Interval",
    "ParResult",
    "Projection",
    "SiiResult",
    "TrendResult",
    "WlsTrend",
    "absolute_gap",
    "byar_ci",
    "chi_square_trend",
    "compare_difference",
    "compare_to_value",
    "cpop_improvement_frame",
    "cpop_improvement_rate",
    "cpop_rating",
    "cpop_rating_words",
    "cpop_series_ends",
    "dsr_dobson",
    "dsr_grouped",
    "duncan_index",
    "improvement_rag",
    "improvement_rate",
    "par",
    "poisson_count_limits",
    "poisson_exact_limits",
    "probability_of_meeting_target",
    "projection",
    "relative_gap",
    "ridits",
    "rii",
    "sii",
    "sii_grouped",
    "target_status",
    "trend_grouped",
    "trend_test",
    "trend_verdict",
    "wilson_ci",
    "wls_trend",
    "z_for_level",
]
