-- One school's plan priorities: the latest review recorded by $as_of and the next review due.
WITH p AS (
    SELECT * FROM plan_reviews WHERE urn = $urn
), done AS (
    SELECT plan, priority, status, reviewed_on, review_due, reviewer
    FROM p WHERE reviewed_on IS NOT NULL AND reviewed_on <= $as_of
    QUALIFY row_number() OVER (PARTITION BY plan, priority ORDER BY reviewed_on DESC, review_due DESC) = 1
), dues AS (
    SELECT plan, priority, max(review_due) AS last_due FROM p GROUP BY plan, priority
), pending AS (
    SELECT plan, priority, min(review_due) AS next_due,
           min(review_due) FILTER (WHERE review_due < $as_of) AS oldest_missed
    FROM p WHERE reviewed_on IS NULL OR reviewed_on > $as_of
    GROUP BY plan, priority
)
SELECT coalesce(d.plan, n.plan) AS plan, coalesce(d.priority, n.priority) AS priority,
       d.status AS latest_status, d.reviewed_on AS last_reviewed_on, n.next_due, n.oldest_missed, u.last_due
FROM done d FULL JOIN pending n ON d.plan = n.plan AND d.priority = n.priority
JOIN dues u ON u.plan = coalesce(d.plan, n.plan) AND u.priority = coalesce(d.priority, n.priority)
ORDER BY plan, priority
