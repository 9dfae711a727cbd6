-- Warning notices issued by $as_of, in scope, with their state on $as_of and age in days.
SELECT w.urn, s.name, w.kind, w.issued_on, w.grounds, w.closed_on,
       CASE WHEN w.closed_on IS NULL OR w.closed_on > $as_of THEN 'open' ELSE 'closed' END AS state,
       date_diff('day', w.issued_on, CAST($as_of AS DATE)) AS age_days
FROM warnings w JOIN schools s USING (urn)
WHERE w.issued_on <= $as_of AND g2g_in_scope(w.urn, $scope_all, $scope_urns)
ORDER BY state DESC, w.issued_on
