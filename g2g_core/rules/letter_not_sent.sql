-- LETTER_NOT_SENT: the current categorisation changed the level, and no letter was sent (as at as_of)
-- within the letter grace after the decision.
SELECT urn, 'overdue' AS severity, decided_on + $letter_grace AS since, level, decided_on,
       'Decided on ' || g2g_day(decided_on) || ': ' || coalesce(prev_level, 'first categorisation') || ' to ' || level
           || ', effective ' || g2g_day(effective_from) || '; no letter_sent_on' AS evidence
FROM g2g_cur
WHERE (prev_level IS NULL AND level <> 'core' OR prev_level <> level)
  AND (letter_sent_on IS NULL OR letter_sent_on > $as_of)
  AND decided_on + $letter_grace < $as_of
