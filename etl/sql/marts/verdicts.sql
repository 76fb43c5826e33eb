-- marts.verdicts
-- grain: one row per indicator x area x verdict kind: every verdict of this build in one long table.
-- Why: "what changed in this release" compares each verdict with the one the previous build gave
-- (marts.previous_verdicts, made by this same query on the previous warehouse, etl/marts/verdicts.py):
--   trend          is it improving? (marts.trend.trend_verdict)
--   rag            the improvement-rate RAG against Scotland (marts.trend.improvement_rag)
--   cpop_rating    the Improvement Service's own rating (marts.trend.cpop_rating)
--   gap            is the gap between the most and least deprived fifths narrowing? (absolute gap,
--                  national quintiles, marts.inequality_trend; councils and Scotland)
WITH trend AS (
    SELECT * FROM marts.trend
),
gaps AS (
    SELECT * FROM marts.inequality_trend
    WHERE basis = 'national_quintile' AND measure = 'absolute_gap'  -- the headline gap (is_headline), spelt out: older warehouses lack the flag
),
final AS (
    SELECT indicator_id, area_type, area_code, 'trend' AS verdict_kind, trend_verdict AS verdict,
           latest_period_label AS period_label
    FROM trend WHERE trend_verdict IS NOT NULL
    UNION ALL
    SELECT indicator_id, area_type, area_code, 'rag', improvement_rag, latest_period_label
    FROM trend WHERE improvement_rag IS NOT NULL
    UNION ALL
    SELECT indicator_id, area_type, area_code, 'cpop_rating', cpop_rating, cpop_latest_period
    FROM trend WHERE cpop_rating IS NOT NULL
    UNION ALL
    SELECT indicator_id, area_type, area_code, 'gap', verdict, last_period_label
    FROM gaps WHERE verdict IS NOT NULL
)
SELECT * FROM final
ORDER BY indicator_id, area_type, area_code, verdict_kind
