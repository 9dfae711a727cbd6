-- Shared by HOURS_SHORTFALL and HOURS_OVERRUN: LaMA support hours in the last ended term against the
-- additional hours a term of the level held on that term's last day.
CREATE TEMP TABLE g2g_hours_last AS
WITH used AS (
    SELECT h.urn, sum(h.hours) AS used, count(*) AS n_rows
    FROM hours h JOIN g2g_last_level ll USING (urn)
    WHERE h.activity = 'lama_support' AND h.date BETWEEN $last_first AND $last_last
    GROUP BY h.urn
)
SELECT ll.urn, ll.level, l.bound, l.hours_per_term AS entitled, coalesce(u.used, 0) AS used, coalesce(u.n_rows, 0) AS n_rows
FROM g2g_last_level ll JOIN g2g_levels l USING (level) LEFT JOIN used u USING (urn)
WHERE l.hours_per_term > 0;
