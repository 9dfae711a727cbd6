-- HOURS_SHORTFALL: LaMA hours in the last ended term below entitlement x (1 - tolerance).
SELECT urn, 'due' AS severity, CAST($last_last AS DATE) AS since, level, used, entitled,
       round(used, 2) || ' hours of lama_support in ' || n_rows || ' record(s) between ' || g2g_day($last_first)
           || ' and ' || g2g_day($last_last) || '; entitlement ' || round(entitled, 2) || ' a term at ' || level AS evidence
FROM g2g_hours_last
WHERE round(used, 6) < round(entitled * (1 - $tolerance), 6)
