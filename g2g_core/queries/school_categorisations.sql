-- One school's categorisation history up to $as_of (the caller has checked scope).
SELECT effective_from, level, team_around_school, decided_on, decided_by, reason,
       outcomes, ambition, leadership, capacity, letter_sent_on, target_exit_on
FROM categorisations WHERE urn = $urn AND effective_from <= $as_of
ORDER BY effective_from
