-- PLAN_MISSING: above core, past the plan grace, and no plan of an accepted type with a review due on or
-- after the current categorisation took effect (intensive levels accept only a single action plan).
SELECT c.urn, 'overdue' AS severity, c.effective_from + $plan_grace AS since, c.level, c.effective_from,
       list_transform(l.plan_types, lambda x: replace(x, '_', ' ')) AS plans,
       'Level ' || c.level || ' from ' || g2g_day(c.effective_from) || '; no '
           || array_to_string(list_transform(l.plan_types, lambda x: replace(x, '_', ' ')), ' or ')
           || ' reviews due on or after that date' AS evidence
FROM g2g_cur c JOIN g2g_levels l USING (level)
WHERE c.level <> 'core' AND len(l.plan_types) > 0 AND c.effective_from + $plan_grace < $as_of
  AND NOT EXISTS (
      SELECT 1 FROM plan_reviews p
      WHERE p.urn = c.urn AND p.review_due >= c.effective_from AND list_contains(l.plan_types, p.plan))
