-- Hours used per school, term and activity between two dates, in scope.
SELECT h.urn, g2g_term_index(h.date, $aut, $spr, $sm) AS term_idx, h.activity, sum(h.hours) AS hours, count(*) AS records
FROM hours h
WHERE h.date BETWEEN $first_day AND $last_day
  AND g2g_in_scope(h.urn, $scope_all, $scope_urns)
GROUP BY ALL
