-- The level of every school in scope at the end of each term from $first_idx to $last_idx (or on $as_of
-- for a term not yet ended); schools closed by then, or not yet categorised, are left out.
WITH t AS (
    SELECT i AS term_idx,
           least(g2g_term_last(i, $aut, $spr, $sm), CAST($as_of AS DATE)) AS at_day
    FROM range(CAST($first_idx AS BIGINT), CAST($last_idx AS BIGINT) + 1) r(i)
), st AS (
    SELECT s.urn, s.phase, s.adviser, s.maintained, t.term_idx, t.at_day
    FROM schools s CROSS JOIN t
    WHERE (s.closed_on IS NULL OR s.closed_on > t.at_day)
      AND g2g_in_scope(s.urn, $scope_all, $scope_urns)
)
SELECT st.urn, st.phase, st.adviser, st.maintained, st.term_idx, st.at_day, c.level, c.team_around_school
FROM st ASOF JOIN categorisations c ON c.urn = st.urn AND c.effective_from <= st.at_day
