-- EXIT_READY: above core; the two latest terms (by review_due) with reviews all on track or achieved,
-- the later being the current or the last ended term. (Suppressed by an escalation flag afterwards.)
WITH rv AS (
    SELECT p.urn, g2g_term_index(p.review_due, $aut, $spr, $sm) AS t, p.status, p.reviewed_on
    FROM plan_reviews p JOIN g2g_cur c USING (urn)
    WHERE c.level <> 'core' AND p.reviewed_on IS NOT NULL AND p.reviewed_on <= $as_of
), ranked AS (
    SELECT urn, t, dense_rank() OVER (PARTITION BY urn ORDER BY t DESC) AS k FROM (SELECT DISTINCT urn, t FROM rv)
), two AS (
    SELECT urn, max(t) AS latest FROM ranked WHERE k <= 2 GROUP BY urn HAVING count(*) = 2
)
SELECT rv.urn, 'info' AS severity, max(rv.reviewed_on) AS since, count(*) AS n_reviews,
       count(*) || ' reviews in the two latest review terms, all on track or achieved; latest on '
           || g2g_day(max(rv.reviewed_on)) AS evidence
FROM rv JOIN ranked USING (urn, t) JOIN two USING (urn)
WHERE ranked.k <= 2
GROUP BY rv.urn, two.latest
HAVING bool_and(rv.status IN ('on_track', 'achieved')) AND two.latest IN ($cur_idx, $last_idx)
