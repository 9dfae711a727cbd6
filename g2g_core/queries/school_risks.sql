-- One school's latest risk assessment on or before $as_of (council-only).
SELECT term_start, area, rating, assessed_by, note FROM risk_assessments
WHERE urn = $urn AND term_start = (SELECT max(term_start) FROM risk_assessments WHERE urn = $urn AND term_start <= $as_of)
ORDER BY list_position(['high', 'medium', 'low'], rating), area
