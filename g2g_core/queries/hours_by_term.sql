-- Hours used per school, term and activity between two dates, in scope.
SELECT h.urn, g2g_term_index(h.date, $aut, $spr, $sm) AS term_idx, h.activity, sum(h.hours) AS hours, count(*) AS records
FROM hours h
WHERE h.date BETWEEN $first_day AND $last_day
  AND ($scope_all OR h.urn IN (SELECT unnest($scope_urns::BIGINT[])))
GROUP BY ALL
