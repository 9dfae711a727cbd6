-- Each open school in scope with its level as at $as_of: the current categorisation, and the first day of
-- the unbroken run of that same level ("since when").
WITH hist AS (
    SELECT c.*,
           CASE WHEN c.level IS DISTINCT FROM lag(c.level) OVER w THEN 1 ELSE 0 END AS changed
    FROM categorisations c
    WHERE c.effective_from <= $as_of AND ($scope_all OR c.urn IN (SELECT unnest($scope_urns::BIGINT[])))
    WINDOW w AS (PARTITION BY c.urn ORDER BY c.effective_from)
), runs AS (
    SELECT *, sum(changed) OVER (PARTITION BY urn ORDER BY effective_from) AS run_id,
              row_number() OVER (PARTITION BY urn ORDER BY effective_from DESC) AS rn
    FROM hist
), cur AS (
    SELECT r.*, (SELECT min(x.effective_from) FROM runs x WHERE x.urn = r.urn AND x.run_id = r.run_id) AS level_since
    FROM runs r WHERE r.rn = 1
)
SELECT s.urn, s.name, s.phase, s.maintained, s.adviser, s.headteacher, s.chair_of_governors,
       c.level, c.level_since, c.effective_from, c.team_around_school, c.decided_on, c.decided_by, c.reason,
       c.outcomes, c.ambition, c.leadership, c.capacity, c.letter_sent_on, c.target_exit_on
FROM schools s LEFT JOIN cur c USING (urn)
WHERE (s.closed_on IS NULL OR s.closed_on > $as_of)
  AND ($scope_all OR s.urn IN (SELECT unnest($scope_urns::BIGINT[])))
ORDER BY s.name, s.urn
