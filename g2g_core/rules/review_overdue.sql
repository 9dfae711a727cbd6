-- REVIEW_OVERDUE: plan reviews not recorded as at as_of, more than the review grace after they were due.
SELECT p.urn, 'overdue' AS severity, min(p.review_due) AS since, count(*) AS n,
       CASE WHEN count(*) = 1 THEN 'One plan review has' ELSE count(*) || ' plan reviews have' END AS n_text,
       string_agg('"' || p.priority || '" (' || replace(p.plan, '_', ' ') || ') due ' || g2g_day(p.review_due), '; '
                  ORDER BY p.review_due, p.priority) AS evidence
FROM plan_reviews p JOIN g2g_cur c USING (urn)
WHERE (p.reviewed_on IS NULL OR p.reviewed_on > $as_of) AND p.review_due + $review_grace < $as_of
GROUP BY p.urn
