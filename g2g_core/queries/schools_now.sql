-- Each open school in scope with its level as at $as_of: the categorisation in force that day, and the first
-- day of the unbroken run of that same level ("since when"), both from g2g_cat (worked out once per data version).
SELECT s.urn, s.name, s.phase, s.maintained, s.adviser, s.headteacher, s.chair_of_governors,
       c.level, c.level_since, c.effective_from, c.team_around_school, c.decided_on, c.decided_by, c.reason,
       c.outcomes, c.ambition, c.leadership, c.capacity, c.letter_sent_on, c.target_exit_on
FROM schools s
LEFT JOIN g2g_cat c
       ON c.urn = s.urn AND c.effective_from <= $as_of AND (c.valid_to IS NULL OR c.valid_to > $as_of)
WHERE (s.closed_on IS NULL OR s.closed_on > $as_of)
  AND g2g_in_scope(s.urn, $scope_all, $scope_urns)
ORDER BY s.name, s.urn
