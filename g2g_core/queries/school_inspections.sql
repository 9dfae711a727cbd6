-- One school's Ofsted history up to $as_of, with its renewed-framework area grades as a list.
SELECT i.inspection_date, i.framework, i.inspection_type, i.overall_grade, i.category_of_concern, i.safeguarding_met,
       (SELECT list({'area': a.area, 'grade': a.grade} ORDER BY a.area) FROM ofsted_areas a
        WHERE a.urn = i.urn AND a.inspection_date = i.inspection_date) AS areas
FROM ofsted_inspections i WHERE i.urn = $urn AND i.inspection_date <= $as_of
ORDER BY i.inspection_date DESC
