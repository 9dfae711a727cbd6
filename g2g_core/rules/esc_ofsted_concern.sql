-- ESC_OFSTED_CONCERN: the latest inspection maps to a category of concern and the level is not intensive_b.
SELECT i.urn, 'overdue' AS severity, i.inspection_date AS since, c.level,
       CASE WHEN list_contains($concern_cats::VARCHAR[], i.category_of_concern)
                 THEN replace(i.category_of_concern, '_', ' ')
            WHEN i.framework = 'eif_2019' AND list_contains($concern_eif::BIGINT[], i.overall_grade)
                 THEN 'graded ' || i.overall_grade || ', inadequate'
            ELSE 'safeguarding not met' END AS what,
       'Inspection of ' || g2g_day(i.inspection_date) || ' (' || i.framework || ', ' || i.inspection_type
           || ', category: ' || i.category_of_concern || coalesce(', overall grade ' || i.overall_grade, '')
           || coalesce(', safeguarding met: ' || i.safeguarding_met, '') || '); current level ' || c.level AS evidence
FROM g2g_insp i JOIN g2g_cur c USING (urn)
WHERE i.is_concern AND c.level <> 'intensive_b'
