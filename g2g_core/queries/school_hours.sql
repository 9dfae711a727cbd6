-- One school's hours rows between two dates (notes are council-only: the caller drops them for a school).
SELECT date, adviser, activity, hours, note FROM hours
WHERE urn = $urn AND date BETWEEN $first_day AND $last_day ORDER BY date
