-- ESC_RISK: in the latest termly risk assessment, an area rated high, and the level is core or focused.
WITH latest AS (
    SELECT r.urn, max(r.term_start) AS term_start
    FROM risk_assessments r JOIN g2g_cur c USING (urn)
    WHERE r.term_start <= $as_of AND c.level IN ('core', 'focused')
    GROUP BY r.urn
)
SELECT r.urn, 'due' AS severity, l.term_start AS since, c.level,
       string_agg(r.area, ', ' ORDER BY r.area) AS areas,
       'Risk assessment for the term starting ' || g2g_day(l.term_start) || ': high in '
           || string_agg(r.area, ', ' ORDER BY r.area) AS evidence
FROM risk_assessments r JOIN latest l ON r.urn = l.urn AND r.term_start = l.term_start JOIN g2g_cur c ON c.urn = r.urn
WHERE r.rating = 'high'
GROUP BY r.urn, l.term_start, c.level
