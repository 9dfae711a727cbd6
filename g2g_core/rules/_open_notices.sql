-- The warning notices open on $as_of for the schools in scope: the latest of each kind (rules that propose a
-- notice are reworded when one is already open).
SELECT urn, kind, max(issued_on) AS issued_on
FROM warnings
WHERE issued_on <= $as_of AND (closed_on IS NULL OR closed_on > $as_of)
  AND g2g_in_scope(urn, $scope_all, $scope_urns)
GROUP BY urn, kind
