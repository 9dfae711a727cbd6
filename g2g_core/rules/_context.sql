-- The facts every rule reads, computed once per (as_of, scope) on one cursor, as temporary tables.
-- g2g_cur: each open school in scope with its current categorisation (latest effective_from <= as_of)
-- and the level of the categorisation before it (from g2g_cat, worked out once per data version).
CREATE TEMP TABLE g2g_cur AS
SELECT c.* EXCLUDE (valid_to, level_since), s.name, s.phase, s.maintained, s.adviser
FROM g2g_cat c JOIN schools s USING (urn)
WHERE c.effective_from <= $as_of AND (c.valid_to IS NULL OR c.valid_to > $as_of)
  AND (s.closed_on IS NULL OR s.closed_on > $as_of)
  AND g2g_in_scope(c.urn, $scope_all, $scope_urns);

-- g2g_run: for schools now intensive, the first day of the unbroken run of intensive categorisations
-- (A and B together) that ends at the current one.
CREATE TEMP TABLE g2g_run AS
WITH last_break AS (
    SELECT c.urn, max(h.effective_from) AS broke_on
    FROM g2g_cur c JOIN categorisations h ON h.urn = c.urn AND h.effective_from <= c.effective_from
    WHERE c.level IN ('intensive_a', 'intensive_b') AND h.level NOT IN ('intensive_a', 'intensive_b')
    GROUP BY c.urn
)
SELECT c.urn, min(h.effective_from) AS run_start
FROM g2g_cur c
JOIN categorisations h ON h.urn = c.urn AND h.effective_from <= c.effective_from
LEFT JOIN last_break b ON b.urn = c.urn
WHERE c.level IN ('intensive_a', 'intensive_b') AND (b.broke_on IS NULL OR h.effective_from > b.broke_on)
GROUP BY c.urn;

-- g2g_levels / g2g_visits: the policy's per-level figures, bound as parameters.
CREATE TEMP TABLE g2g_levels AS
SELECT unnest($lv_level::VARCHAR[]) AS level,
       unnest($lv_hours::DOUBLE[]) AS hours_per_term,
       unnest($lv_bound::VARCHAR[]) AS bound,
       unnest($lv_la::BOOLEAN[]) AS la_each_term,
       unnest($lv_plans::VARCHAR[][]) AS plan_types;

CREATE TEMP TABLE g2g_visits AS
SELECT unnest($vi_level::VARCHAR[]) AS level, unnest($vi_phase::VARCHAR[]) AS phase, unnest($vi_visits::BIGINT[]) AS visits;

-- g2g_last_level: each current school's level on the last day of the last ended term.
CREATE TEMP TABLE g2g_last_level AS
SELECT c.urn, h.level
FROM g2g_cur c JOIN categorisations h ON h.urn = c.urn AND h.effective_from <= $last_last
QUALIFY row_number() OVER (PARTITION BY c.urn ORDER BY h.effective_from DESC) = 1;

-- g2g_insp: each current school's latest inspection that counts (graded or report card; a monitoring
-- or ungraded visit only when it sets a category of concern), mapped to the policy's two triggers.
CREATE TEMP TABLE g2g_insp AS
SELECT i.urn, i.inspection_date, i.framework, i.inspection_type, i.overall_grade, i.category_of_concern,
       i.safeguarding_met,
       (i.framework = 'eif_2019' AND list_contains($ri_eif::BIGINT[], i.overall_grade))
         OR (i.framework = 'renewed_2025' AND i.category_of_concern = 'none' AND EXISTS (
               SELECT 1 FROM ofsted_areas a
               WHERE a.urn = i.urn AND a.inspection_date = i.inspection_date
                 AND list_contains($ri_renewed::VARCHAR[], a.grade))) AS is_ri,
       (i.framework = 'eif_2019' AND list_contains($concern_eif::BIGINT[], i.overall_grade))
         OR list_contains($concern_cats::VARCHAR[], i.category_of_concern)
         OR ($sg_concern AND i.safeguarding_met = false) AS is_concern
FROM ofsted_inspections i JOIN g2g_cur c USING (urn)
WHERE i.inspection_date <= $as_of
  AND (i.inspection_type IN ('graded', 'report_card') OR i.category_of_concern <> 'none')
QUALIFY row_number() OVER (PARTITION BY i.urn ORDER BY i.inspection_date DESC) = 1;
