-- LA_REVIEW_MISSING: at a level with a one-day LA review each term on the last day of the last ended term,
-- and no one_day_review hours dated in that term.
SELECT ll.urn, 'overdue' AS severity, CAST($last_last AS DATE) AS since,
       'Level ' || ll.level || ' on ' || g2g_day($last_last) || '; no one_day_review hours between '
           || g2g_day($last_first) || ' and ' || g2g_day($last_last) AS evidence
FROM g2g_last_level ll JOIN g2g_levels l USING (level)
WHERE l.la_each_term
  AND NOT EXISTS (
      SELECT 1 FROM hours h
      WHERE h.urn = ll.urn AND h.activity = 'one_day_review' AND h.date BETWEEN $last_first AND $last_last)
