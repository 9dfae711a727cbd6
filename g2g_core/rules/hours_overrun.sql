-- HOURS_OVERRUN: where the additional hours are a maximum, LaMA hours above entitlement x (1 + tolerance).
SELECT urn, 'info' AS severity, CAST($last_last AS DATE) AS since, level, used, entitled,
       round(used, 2) || ' hours of lama_support in ' || n_rows || ' record(s) between ' || g2g_day($last_first)
           || ' and ' || g2g_day($last_last) || '; at most ' || round(entitled, 2) || ' a term at ' || level AS evidence
FROM g2g_hours_last
WHERE bound = 'maximum' AND round(used, 6) > round(entitled * (1 + $tolerance), 6)
