-- ESC_OFF_TRACK: a priority (urn, plan, priority) off track at each of its two latest reviews.
WITH rv AS (
    SELECT p.urn, p.plan, p.priority, p.status, p.reviewed_on,
           row_number() OVER (PARTITION BY p.urn, p.plan, p.priority ORDER BY p.reviewed_on DESC, p.review_due DESC) AS k
    FROM plan_reviews p JOIN g2g_cur c USING (urn)
    WHERE p.reviewed_on IS NOT NULL AND p.reviewed_on <= $as_of
), pr AS (
    SELECT urn, plan, priority, min(reviewed_on) AS earlier
    FROM rv WHERE k <= 2
    GROUP BY urn, plan, priority
    HAVING count(*) = 2 AND bool_and(status = 'off_track')
)
SELECT urn, 'overdue' AS severity, min(earlier) AS since, count(*) AS n,
       CASE WHEN count(*) = 1 THEN 'One plan priority has' ELSE count(*) || ' plan priorities have' END AS n_text,
       string_agg('"' || priority || '" (' || replace(plan, '_', ' ') || ') off track at reviews from '
                  || g2g_day(earlier), '; ' ORDER BY earlier, priority) AS evidence
FROM pr GROUP BY urn
