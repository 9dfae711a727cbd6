-- Each school's latest inspection that counts (as the rules read it) on or before $as_of, in scope, with the
-- least favourable renewed-framework area grade.
SELECT i.*, (
        SELECT a.grade FROM ofsted_areas a
        WHERE a.urn = i.urn AND a.inspection_date = i.inspection_date
        ORDER BY list_position(['exceptional', 'strong_standard', 'expected_standard', 'needs_attention',
                                'urgent_improvement'], a.grade) DESC
        LIMIT 1) AS lowest_area_grade
FROM ofsted_inspections i
WHERE i.inspection_date <= $as_of
  AND (i.inspection_type IN ('graded', 'report_card') OR i.category_of_concern <> 'none')
  AND g2g_in_scope(i.urn, $scope_all, $scope_urns)
QUALIFY row_number() OVER (PARTITION BY i.urn ORDER BY i.inspection_date DESC) = 1
