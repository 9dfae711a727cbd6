-- EXIT_INTENSIVE: intensive in term >= exit_terms + 1 of the run, or past the target exit date (overdue);
-- in term exit_terms of the run (due).
WITH x AS (
    SELECT c.urn, r.run_start, c.target_exit_on,
           g2g_term_index(r.run_start, $aut, $spr, $sm) AS start_idx,
           $cur_idx - g2g_term_index(r.run_start, $aut, $spr, $sm) + 1 AS term_n
    FROM g2g_cur c JOIN g2g_run r USING (urn)
), y AS (
    SELECT *, term_n > $exit_terms AS late, coalesce(target_exit_on < $as_of, false) AS past_target FROM x
)
SELECT urn,
       CASE WHEN late OR past_target THEN 'overdue' ELSE 'due' END AS severity,
       CASE WHEN late OR past_target
            THEN least(CASE WHEN late THEN g2g_term_first(start_idx + $exit_terms, $aut, $spr, $sm) END,
                       CASE WHEN past_target THEN target_exit_on END)
            ELSE g2g_term_first(start_idx + $exit_terms - 1, $aut, $spr, $sm) END AS since,
       run_start, term_n, target_exit_on,
       concat_ws(', and ',
           CASE WHEN late THEN 'this is its term ' || term_n || ', beyond the ' || $exit_terms
                               || ' terms within which schools are expected to leave' END,
           CASE WHEN past_target THEN 'its target date for leaving, ' || g2g_day(target_exit_on) || ', has passed' END) AS reason,
       'Intensive since ' || g2g_day(run_start) || ' (term ' || term_n || ' of the run)'
           || coalesce('; target exit date ' || g2g_day(target_exit_on), '; no target exit date recorded') AS evidence
FROM y
WHERE late OR past_target OR term_n = $exit_terms
