-- ESC_RISK: in the latest termly risk assessment, an area rated high, and the level is core or focused.
-- g2g_risk_terms holds one row per (urn, term_start) with the areas rated high (worked out once per data version).
WITH latest AS (
    SELECT r.urn, max(r.term_start) AS term_start
    FROM g2g_risk_terms r JOIN g2g_cur c USING (urn)
    WHERE r.term_start <= $as_of AND c.level IN ('core', 'focused')
    GROUP BY r.urn
)
SELECT r.urn, 'due' AS severity, l.term_start AS since, c.level,
       r.high_areas AS areas,
       'Risk assessment for the term starting ' || g2g_day(l.term_start) || ': high in ' || r.high_areas AS evidence
FROM g2g_risk_terms r JOIN latest l ON r.urn = l.urn AND r.term_start = l.term_start JOIN g2g_cur c ON c.urn = r.urn
WHERE r.high_areas IS NOT NULL
