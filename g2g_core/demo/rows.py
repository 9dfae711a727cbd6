"""The rows a school's story implies: hours, plan reviews and risk assessments, added to the table columns."""

from __future__ import annotations

from g2g_core.demo.model import LAMA_HOURS, PLAN_OF, RISK_P, STATUS_P, Columns, School
from g2g_core.demo.words import HOURS_NOTES, PRIORITIES, REVIEW_NOTES, RISK_NOTES
from g2g_core.policy import INTENSIVE


class _Rows:
    """The row-writing half of the generator (see `generator.Generator`, which holds the state these use)."""

    # ----------------------------------------------------------------------------------------------
    # rows

    def emit(self, s: School) -> None:
        to_d = None if s.closed is None else s.closed
        self.schools.add(s.urn, s.name, s.phase, s.maintained, s.adviser, s.headteacher, s.chair, to_d)
        for c in s.cats:
            self.cats.add(
                s.urn, c.eff, c.level, c.tas, c.decided, c.by, c.reason, *c.judgements, c.letter, c.target
            )
        for i in s.insps:
            self.insps.add(s.urn, i.day, i.framework, i.kind, i.grade, i.category, i.safeguarding)
            for area, grade in i.areas:
                self.areas.add(s.urn, i.day, area, grade)
        for issued, kind, grounds, closed in s.warnings:
            self.warnings.add(s.urn, issued, kind, grounds, closed)
        self.emit_hours(s)
        self.emit_reviews(s)
        self.emit_risks(s)

    def emit_hours(self, s: School) -> None:
        r, ri, pick, day = self.r, self.ri, self.pick, self.school_day
        end = self.as_of if s.closed is None else min(self.as_of, s.closed - 1)
        who = s.adviser or s.former_adviser
        cats = s.cats
        add = self.hours.add
        for t, _first, last, ws, we, _due in self.terms:
            if ws > end:
                break
            cat = self.level_at(cats, min(last, end))
            if cat is None:
                continue
            level = cat.level
            rows = []
            if s.buys_sip and t not in s.no_sip:
                rows.append(
                    (day(ws, we), "sip_visit", 3.5, pick(HOURS_NOTES["sip_visit"]) if r() < 0.3 else None)
                )
            if level != "core":
                lo, hi = LAMA_HOURS[level]
                total = s.lama_hours.get(t)
                if total is None:
                    total = lo + r() * (hi - lo)
                units = max(1, round(total * 2))
                n = min(units, {"focused": ri(2, 3), "enhanced": ri(3, 5)}.get(level, ri(4, 6)))
                cuts = sorted(self.rng.sample(range(1, units), n - 1)) if n > 1 else []
                for lo_u, hi_u in zip([0, *cuts], [*cuts, units], strict=True):
                    note = pick(HOURS_NOTES["lama_support"]) if r() < 0.25 else None
                    rows.append((day(ws, we), "lama_support", (hi_u - lo_u) / 2, note))
                rows.append((day(ws, we), "tag_meeting", 1.5, None))
                if level in INTENSIVE and t not in s.no_la_review:
                    rows.append((day(max(ws, min(cat.eff + 7, we)), we), "one_day_review", 14.0, None))
                elif level == "enhanced" and t % 3 == 1 and r() < 0.4:
                    rows.append(
                        (day(ws, we), "one_day_review", 14.0, "Optional one-day review agreed with the head.")
                    )
                if cat.tas:
                    for _ in range(ri(1, 3)):
                        rows.append(
                            (
                                day(ws, we),
                                "brokered_support",
                                float(ri(2, 5)),
                                pick(HOURS_NOTES["brokered_support"]),
                            )
                        )
            if r() < (0.15 if level == "core" else 0.4):
                rows.append(
                    (
                        day(ws, we),
                        "governors_meeting",
                        2.0,
                        pick(HOURS_NOTES["governors_meeting"]) if r() < 0.5 else None,
                    )
                )
            if level == "core" and r() < (0.25 if s.buys_sip else 0.5):
                rows.append(
                    (
                        day(ws, we),
                        "keeping_in_touch",
                        1.0,
                        pick(HOURS_NOTES["keeping_in_touch"]) if r() < 0.3 else None,
                    )
                )
            if r() < 0.03:
                rows.append((day(ws, we), "other", float(ri(1, 3)), pick(HOURS_NOTES["other"])))
            rows.sort(key=lambda x: (x[0], x[1]))
            for d, activity, hours, note in rows:
                if d <= end:
                    add(s.urn, d, who, activity, hours, note)

    def emit_reviews(self, s: School) -> None:
        if s.no_plans:
            return
        r, pick = self.r, self.pick
        who = s.adviser or s.former_adviser
        rows = []  # [plan, priority, due, reviewed_on, status, note, term, number]
        plans: dict[tuple, list[str]] = {}
        last_status: dict[tuple, str] = {}
        for t, _first, _last, _ws, _we, due in self.terms:
            if s.closed is not None and due + 7 >= s.closed:
                break
            cat = self.level_at(s.cats, due)
            if cat is None or cat.level == "core":
                continue
            plan = PLAN_OF[cat.level]
            key = (plan, t // 3)
            if key not in plans:
                pool = PRIORITIES["tas"] if cat.tas else PRIORITIES.get(s.phase, PRIORITIES["general"])
                pool = list(pool) + list(PRIORITIES["general"])
                plans[key] = self.rng.sample(pool, self.ri(2, 4))
            on, at, off = STATUS_P[cat.level]
            for n, text in enumerate(plans[key]):
                prev = last_status.get((plan, text))
                x = r()
                if prev == "achieved" and x < 0.75:
                    status = "achieved"
                else:
                    status = (
                        "on_track"
                        if x < on
                        else "at_risk"
                        if x < at
                        else "off_track"
                        if x < off
                        else "achieved"
                    )
                    if status == "off_track" and prev == "off_track":
                        status = "at_risk"
                last_status[(plan, text)] = status
                reviewed = None
                if due <= self.as_of:
                    reviewed = self.school_day(due - 3, due + 6)
                    if reviewed > self.as_of:
                        reviewed = None
                rows.append([plan, text, due, reviewed, status, None, t, n])
        if not rows:
            return
        for term, number in s.unreviewed:
            for row in rows:
                if row[6] == term and row[7] == number:
                    row[3] = None
        done = [row for row in rows if row[3] is not None]
        review_terms = sorted({row[6] for row in done})
        if s.ready:
            for row in done:
                if row[6] in review_terms[-2:]:
                    row[4] = "achieved" if row[4] == "achieved" else "on_track"
        elif s.off_track:
            for row in done:
                if row[6] in review_terms[-2:]:
                    row[4] = "off_track" if row[7] == 0 else ("at_risk" if row[4] == "off_track" else row[4])
        if not s.ready and review_terms:
            latest = [row for row in done if row[6] == review_terms[-1]]
            if all(row[4] in ("on_track", "achieved") for row in latest):
                candidates = [row for row in latest if row[4] == "on_track"] or latest
                pick(candidates)[4] = "at_risk"
        add = self.reviews.add
        for plan, text, due, reviewed, status, _note, _t, _n in rows:
            if reviewed is None:
                add(s.urn, plan, text, due, None, None, None, None)
            else:
                note = (
                    pick(REVIEW_NOTES[status])
                    if r() < (0.4 if status in ("at_risk", "off_track") else 0.1)
                    else None
                )
                add(s.urn, plan, text, due, reviewed, status, who, note)

    def emit_risks(self, s: School) -> None:
        r = self.r
        who = s.adviser or s.former_adviser
        add = self.risks.add
        now = self.level_at(s.cats, self.as_of)
        for t, first, _last, _ws, _we, _due in self.terms:
            if first > self.as_of or (s.closed is not None and first >= s.closed):
                break
            cat = self.level_at(s.cats, self.as_of if t == self.cur else first)
            if cat is None:
                continue
            low, medium = RISK_P[cat.level]
            no_high = t == self.cur and (
                not s.background or (now is not None and now.level in ("core", "focused"))
            )
            for area in s.risk_areas:
                x = r()
                rating = "low" if x < low else "medium" if x < medium else "high"
                if (t, area) in s.risk_high:
                    rating = "high"
                elif rating == "high" and no_high:
                    rating = "medium"
                note = None
                if rating == "high" or (rating == "medium" and r() < 0.12):
                    note = RISK_NOTES[area][rating == "high"]
                add(s.urn, first, area, rating, who, note)

    def tables(self) -> dict[str, Columns]:
        return {
            "schools": self.schools,
            "categorisations": self.cats,
            "hours": self.hours,
            "plan_reviews": self.reviews,
            "ofsted_inspections": self.insps,
            "ofsted_areas": self.areas,
            "risk_assessments": self.risks,
            "warnings": self.warnings,
        }
