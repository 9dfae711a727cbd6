-- ESC_OFSTED_RI: the latest inspection maps to "graded 3 / at risk of RI" and the level is core or focused.
SELECT i.urn, 'overdue' AS severity, i.inspection_date AS since, c.level,
       CASE WHEN i.framework = 'eif_2019' THEN 'graded ' || i.overall_grade || ' under the 2019 framework'
            ELSE 'a report card with areas needing attention or urgent improvement' END AS what,
       'Inspection of ' || g2g_day(i.inspection_date) || ' (' || i.framework || ', ' || i.inspection_type || ')'
           || coalesce(', overall grade ' || i.overall_grade, '') || '; current level ' || c.level AS evidence
FROM g2g_insp i JOIN g2g_cur c USING (urn)
WHERE i.is_ri AND c.level IN ('core', 'focused')
