-- SIP_VISITS_BEHIND: a maintained school with fewer SIP visits since the start of the academic year than
-- floor(visits a year x terms ended this year / 3).
WITH v AS (
    SELECT h.urn, count(*) AS visits
    FROM hours h JOIN g2g_cur c USING (urn)
    WHERE h.activity = 'sip_visit' AND h.date >= $year_start AND h.date <= $as_of
    GROUP BY h.urn
)
SELECT c.urn, 'due' AS severity, CAST($last_last AS DATE) AS since, coalesce(v.visits, 0) AS visits,
       CASE coalesce(v.visits, 0) WHEN 0 THEN 'no school improvement partner visits'
            WHEN 1 THEN 'one school improvement partner visit'
            ELSE v.visits || ' school improvement partner visits' END AS visits_text,
       CAST(floor(vi.visits * $terms_ended / 3.0) AS BIGINT) AS required,
       coalesce(v.visits, 0) || ' sip_visit record(s) from ' || g2g_day($year_start) || ' to ' || g2g_day($as_of)
           || '; ' || CAST(floor(vi.visits * $terms_ended / 3.0) AS BIGINT) || ' expected after ' || $terms_ended
           || ' term(s) at ' || vi.visits || ' a year' AS evidence
FROM g2g_cur c JOIN g2g_visits vi ON vi.level = c.level AND vi.phase = c.phase LEFT JOIN v USING (urn)
WHERE c.maintained AND coalesce(v.visits, 0) < floor(vi.visits * $terms_ended / 3.0)
