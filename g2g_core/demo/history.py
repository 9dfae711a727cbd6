"""Each school's story: names, levels year by year, inspections consistent with them, warning notices."""

from __future__ import annotations

from datetime import date

from g2g_core.demo.model import (
    AUTO,
    BASE_RISK_AREAS,
    CASELOADS,
    CORE_AREAS,
    COVID_GAP,
    EXTRA_RISK_AREAS,
    FINAL_LEVEL,
    LAMAS,
    MAINTAINED_P,
    NAMED_ADVISERS,
    PHASE_WEIGHTS,
    PREVIOUS_LEVEL,
    RANK,
    RENEWED_FROM,
    Cat,
    Insp,
    School,
    weekday,
    ymd,
)
from g2g_core.demo.words import (
    FIRST_NAMES,
    PLACE_END,
    PLACE_EXTRA,
    PLACE_FIRST,
    REASONS,
    SURNAME_A,
    SURNAME_B,
    WARNING_GROUNDS,
)
from g2g_core.policy import INTENSIVE


class _History:
    """The story half of the generator (see `generator.Generator`, which holds the state these use)."""

    # ----------------------------------------------------------------------------------------------
    # small helpers

    def ri(self, a: int, b: int) -> int:
        return a + int(self.r() * (b - a + 1))

    def pick(self, seq):
        return seq[int(self.r() * len(seq))]

    def weighted(self, pairs):
        x, acc = self.r(), 0.0
        for value, p in pairs:
            acc += p
            if x < acc:
                return value
        return pairs[-1][0]

    def school_day(self, lo: int, hi: int) -> int:
        """A random weekday between two ordinals (inclusive), or lo when the range holds none."""
        d = self.ri(lo, hi) if hi >= lo else lo
        wd = weekday(d)
        if wd == 5:
            d = d - 1 if d - 1 >= lo else d + 2
        elif wd == 6:
            d = d + 1 if d + 1 <= hi else d - 2
        return d

    def term_time(self, o: int) -> int:
        """The date moved out of the summer and Christmas holidays, for a visit that cannot fall in them."""
        d = date.fromordinal(o)
        if d.month == 8 or (d.month == 7 and d.day > 18):
            return self.school_day(ymd(d.year, 9, 8), ymd(d.year, 9, 26))
        if d.month == 12 and d.day > 17:
            return self.school_day(ymd(d.year + 1, 1, 7), ymd(d.year + 1, 1, 16))
        if d.month == 1 and d.day < 6:
            return self.school_day(ymd(d.year, 1, 7), ymd(d.year, 1, 16))
        return o

    def term_of(self, o: int) -> int:
        return self.cal.index_of(date.fromordinal(o))

    def term_last(self, index: int) -> int:
        return self.cal.last_day(index).toordinal()

    def person(self) -> str:
        return f"{self.pick(FIRST_NAMES)} {self.pick(SURNAME_A)}{self.pick(SURNAME_B)}"

    def school_name(self, phase: str, maintained: bool) -> str:
        for _ in range(8):
            place = self.pick(PLACE_FIRST) + self.pick(PLACE_END) + self.pick(PLACE_EXTRA)
            if place not in self.names_used or len(self.names_used) > 5000:
                break
        self.names_used[place] = self.names_used.get(place, 0) + 1
        if phase == "primary":
            suffix = self.pick(
                (
                    " Primary School",
                    " Primary School",
                    " Community Primary School",
                    " Infant and Nursery School",
                )
            )
            return place + (" Primary Academy" if not maintained and self.r() < 0.7 else suffix)
        if phase == "secondary":
            return place + (
                self.pick((" Academy", " High School"))
                if not maintained
                else self.pick((" High School", " School"))
            )
        return (
            place
            + {
                "nursery": " Nursery School",
                "special": self.pick((" School", " Park School")),
                "all_through": " All-Through School",
                "alternative_provision": self.pick((" Learning Centre", " Pupil Referral Unit")),
            }[phase]
        )

    def new_school(self, urn: int, phase: str | None = None, maintained: bool | None = None) -> School:
        phase = phase or self.weighted(PHASE_WEIGHTS)
        maintained = (self.r() < MAINTAINED_P[phase]) if maintained is None else maintained
        s = School(
            urn,
            self.school_name(phase, maintained),
            phase,
            maintained,
            self.person() if self.r() < 0.98 else None,
            self.person() if self.r() < 0.95 else None,
        )
        s.buys_sip = maintained or self.r() < 0.6
        s.post_16 = phase == "all_through" or (phase in ("secondary", "special") and self.r() < 0.55)
        extras = tuple(a for a in EXTRA_RISK_AREAS if self.r() < 0.25)
        s.risk_areas = BASE_RISK_AREAS + extras
        return s

    # ----------------------------------------------------------------------------------------------
    # categorisations

    def year_rows(self, levels: list[str], tas_runs: bool = True) -> list[Cat]:
        """One categorisation effective 1 September of each year of the history (right-aligned levels)."""
        levels = (["core"] * self.years + list(levels))[-self.years :]
        rows, tas = [], False
        for i, level in enumerate(levels):
            if level == "focused" and (i == 0 or levels[i - 1] != "focused"):
                tas = tas_runs and self.r() < 0.3
            rows.append(Cat(ymd(self.y0 + i, 9, 1), level, tas=level == "focused" and tas))
        return rows

    def finish_cats(self, s: School) -> None:
        """Fill decision dates, letters, targets, reasons and judgements, oldest first."""
        s.cats = [c for c in sorted(s.cats, key=lambda c: c.eff) if c.eff >= ymd(self.y0, 9, 1)]
        if s.closed is not None:
            s.cats = [c for c in s.cats if c.eff < s.closed]
        prev, target = None, None
        for c in s.cats:
            sep1 = date.fromordinal(c.eff).month == 9 and date.fromordinal(c.eff).day == 1
            if c.decided == AUTO:
                y = date.fromordinal(c.eff).year
                c.decided = (
                    self.school_day(ymd(y, 7, 6), ymd(y, 7, 18))
                    if sep1
                    else self.school_day(c.eff - 14, c.eff - 5)
                )
                if not sep1:
                    c.by = "Assistant Director, School Improvement"
            if c.letter == AUTO:
                c.letter = self.school_day(c.decided + 2, c.decided + 7)
            if c.level in INTENSIVE:
                if prev not in INTENSIVE or target is None:
                    target = self.term_last(self.term_of(c.eff) + 3)
                if c.target == AUTO:
                    c.target = target
                target = c.target
            else:
                target = None
                if c.target == AUTO:
                    c.target = None
            if c.reason is None:
                if c.level == "focused":
                    key = ("focused", "tas" if c.tas else "any")
                elif c.level in INTENSIVE:
                    key = (c.level, "any")
                elif prev is None or RANK[prev] == RANK[c.level]:
                    key = (c.level, "same")
                else:
                    key = (c.level, "up" if RANK[c.level] > RANK[prev] else "down")
                c.reason = self.pick(REASONS[key])
            if not c.judgements:
                c.judgements = self.judgements(c.level)
            prev = c.level

    def judgements(self, level: str) -> tuple:
        r = self.r
        if level == "core":
            j = [1 if x < 0.25 else 2 if x < 0.97 else 3 for x in (r(), r(), r(), r())]
        elif level == "focused":
            j = [1 if r() < 0.15 else 2 for _ in range(4)]
            j[self.ri(0, 2)] = 3
        elif level == "enhanced":
            j = [2 if r() < 0.5 else 3 for _ in range(4)]
        elif level == "intensive_a":
            j = [2 if x < 0.1 else 3 if x < 0.8 else 4 for x in (r(), r(), r(), r())]
        else:
            j = [3 if r() < 0.45 else 4 for _ in range(4)]
        return tuple(None if r() < 0.02 else v for v in j)

    @staticmethod
    def level_at(cats: list[Cat], day: int) -> Cat | None:
        found = None
        for c in cats:
            if c.eff > day:
                break
            found = c
        return found

    # ----------------------------------------------------------------------------------------------
    # Ofsted

    def framework(self, day: int) -> str:
        return "renewed_2025" if day >= RENEWED_FROM else "eif_2019"

    def inspection(self, s: School, day: int, outcome: str) -> Insp:
        """A graded inspection (EIF) or report card (renewed) with outcome good, ri or concern."""
        renewed = day >= RENEWED_FROM
        r = self.r
        if not renewed:
            if outcome == "good":
                return Insp(day, "eif_2019", "graded", 1 if r() < 0.15 else 2, "none", True)
            if outcome == "ri":
                return Insp(day, "eif_2019", "graded", 3, "none", True)
            cat = "special_measures" if r() < 0.5 else "serious_weaknesses"
            return Insp(day, "eif_2019", "graded", 4, cat, r() >= 0.3)
        areas = list(CORE_AREAS)
        if s.phase in ("nursery", "primary", "all_through"):
            areas.append("early_years")
        if s.post_16:
            areas.append("post_16")
        if outcome == "good":
            grades = [
                self.weighted((("expected_standard", 0.55), ("strong_standard", 0.38), ("exceptional", 0.07)))
                for _ in areas
            ]
            return Insp(
                day, "renewed_2025", "report_card", None, "none", True, tuple(zip(areas, grades, strict=True))
            )
        if outcome == "ri":
            grades = [self.weighted((("expected_standard", 0.75), ("strong_standard", 0.25))) for _ in areas]
            for _ in range(self.ri(1, 2)):
                grades[self.ri(0, len(CORE_AREAS) - 1)] = "needs_attention"
            return Insp(
                day, "renewed_2025", "report_card", None, "none", True, tuple(zip(areas, grades, strict=True))
            )
        grades = [self.weighted((("expected_standard", 0.4), ("needs_attention", 0.6))) for _ in areas]
        for _ in range(self.ri(1, 3)):
            grades[self.ri(0, len(CORE_AREAS) - 1)] = "urgent_improvement"
        cat = "special_measures" if r() < 0.4 else "requires_significant_improvement"
        return Insp(
            day, "renewed_2025", "report_card", None, cat, r() >= 0.3, tuple(zip(areas, grades, strict=True))
        )

    def avoid_covid(self, day: int) -> int:
        lo, hi = COVID_GAP
        return day - 400 if lo <= day < hi else day

    def auto_ofsted(self, s: School, ri_p: float, ri_int_p: float, recent: bool) -> None:
        """Inspections consistent with the school's moves between levels (see the module docstring)."""
        cats = [c for c in s.cats if c.eff <= self.as_of]
        if not cats:
            return
        end = self.as_of if s.closed is None else min(self.as_of, s.closed - 1)
        first = cats[0].level
        base = self.term_time(self.avoid_covid(self.school_day(ymd(self.y0 - 4, 9, 15), ymd(self.y0, 7, 10))))
        state = {"core": "good", "focused": "good", "enhanced": "ri" if self.r() < 0.5 else "good"}.get(first)
        state = state or ("concern" if first == "intensive_b" else "ri")
        main = [self.inspection(s, base, state)]
        prev = first
        for c in cats[1:]:
            need = None
            if c.level != prev:
                if c.level == "intensive_b" and state != "concern":
                    need = "concern"
                elif c.level in ("core", "focused") and state != "good":
                    need = "good"
                elif c.level in ("enhanced", "intensive_a") and state == "concern":
                    need = "ri"
                elif c.level == "enhanced" and state == "good" and self.r() < ri_p:
                    need = "ri"
                elif c.level == "intensive_a" and state == "good" and self.r() < ri_int_p:
                    need = "ri"
            prev = c.level
            if need is None:
                continue
            d = date.fromordinal(c.eff)
            lo, hi = (
                (ymd(d.year, 5, 6), ymd(d.year, 7, 11))
                if (d.month, d.day) == (9, 1)
                else (c.eff - 42, c.eff - 21)
            )
            lo, hi = max(lo, main[-1].day + 60), min(hi, end)
            if lo > hi:
                lo = hi = min(c.eff - 1, end)
            if lo <= main[-1].day:
                continue
            main.append(self.inspection(s, self.school_day(lo, hi), need))
            state = need
        if recent and s.closed is None and self.r() < 0.15:
            now = cats[-1].level
            lo, hi = max(RENEWED_FROM + 7, main[-1].day + 700), self.as_of - 7
            if hi >= lo and now != "intensive_b" and (state == "good" or now in ("enhanced", "intensive_a")):
                outcome = "good" if now in ("core", "focused") or self.r() < 0.5 else "ri"
                main.append(self.inspection(s, self.school_day(lo, hi), outcome))
        s.insps = main + s.insps  # scenario inspections come after
        self.visits_between(s, end)

    def visits_between(self, s: School, end: int) -> None:
        """Monitoring visits for schools in a category (or requiring improvement), ungraded ones for good."""
        main = sorted((i for i in s.insps if i.main), key=lambda i: i.day)
        extra = []
        for n, insp in enumerate(main):
            stop = min(main[n + 1].day - 30 if n + 1 < len(main) else end, end)
            if insp.category != "none":
                d = insp.day + self.ri(120, 200)
                while d <= stop:
                    day = self.term_time(self.school_day(d, d + 4))
                    if day <= stop:
                        extra.append(
                            Insp(
                                day, self.framework(day), "monitoring", None, insp.category, None, main=False
                            )
                        )
                    d += self.ri(150, 240)
            elif insp.grade == 3 and self.r() < 0.35:
                day = self.term_time(self.school_day(insp.day + 200, insp.day + 280))
                if day <= stop:
                    extra.append(Insp(day, self.framework(day), "monitoring", None, "none", None, main=False))
            elif insp.grade in (1, 2) and self.r() < 0.5:
                day = self.term_time(self.school_day(insp.day + 1300, insp.day + 1600))
                if day <= stop and day < RENEWED_FROM:
                    extra.append(Insp(day, "eif_2019", "ungraded", None, "none", True, main=False))
        seen, out = set(), []
        for insp in sorted(main + extra, key=lambda i: (i.day, not i.main)):
            if insp.day not in seen:
                seen.add(insp.day)
                out.append(insp)
        s.insps = out

    # ----------------------------------------------------------------------------------------------
    # warnings

    def auto_warnings(self, s: School) -> None:
        runs, start, prev, with_b = [], None, None, False
        for c in s.cats:
            if c.eff > self.as_of:
                break
            if c.level in INTENSIVE and prev not in INTENSIVE:
                start, with_b = c.eff, False
            with_b = with_b or c.level == "intensive_b"
            if c.level not in INTENSIVE and prev in INTENSIVE:
                runs.append((start, c.eff, with_b))
            prev = c.level
        if prev in INTENSIVE:
            runs.append((start, None, with_b))
        end = self.as_of if s.closed is None else min(self.as_of, s.closed - 1)
        for begun, ended, b in runs:
            if self.r() >= 0.35:
                continue
            stop = end if ended is None else min(end, ended - 1)
            issued = self.school_day(begun + 100, begun + 200)
            if issued > stop:
                continue
            closed = (
                ended if ended is not None and self.r() < 0.8 else self.school_day(issued + 90, issued + 200)
            )
            formal = b and self.r() < 0.5 and closed is not None and closed + 7 <= stop
            s.warnings.append(
                (issued, "pre_formal", self.pick(WARNING_GROUNDS), closed if closed <= end else None)
            )
            if formal:
                again = self.school_day(closed + 1, closed + 7)
                shut = ended if ended is not None and ended <= end else None
                s.warnings.append((again, "formal", self.pick(WARNING_GROUNDS), shut))

    # ----------------------------------------------------------------------------------------------
    # schools of a block

    def background(self, urn: int) -> School:
        s = self.new_school(urn)
        levels = [self.weighted(FINAL_LEVEL)]
        for i in range(self.years - 1):
            prev = self.weighted(PREVIOUS_LEVEL[levels[0]])
            if levels[0] in INTENSIVE and prev in INTENSIVE and (i == 0 or levels[1] in INTENSIVE):
                prev = (
                    "enhanced"  # a current intensive run starts this year; past runs last two years at most
                )
            levels.insert(0, prev)
        s.cats = self.year_rows(levels)
        # some escalations happened part-way through the year before, after an inspection
        for i in range(1, self.years - 1):
            if levels[i] in INTENSIVE and levels[i - 1] not in INTENSIVE and self.r() < 0.4:
                y = self.y0 + i - 1
                eff = (
                    self.school_day(ymd(y + 1, 1, 12), ymd(y + 1, 3, 6))
                    if self.r() < 0.6
                    else self.school_day(ymd(y + 1, 4, 20), ymd(y + 1, 6, 5))
                )
                s.cats.append(Cat(eff, levels[i]))
        self.finish_cats(s)
        self.auto_ofsted(s, 0.5, 0.9, recent=True)
        self.auto_warnings(s)
        return s

    def assign_advisers(self, block: int, schools: list[School]) -> None:
        names = (
            NAMED_ADVISERS
            if block == 0
            else tuple(f"adviser.{7 + 6 * (block - 1) + j:04d}" for j in range(len(NAMED_ADVISERS)))
        )
        open_ = [s for s in schools if s.closed is None or s.closed > self.as_of]
        total = sum(CASELOADS)
        shares = [c * len(open_) / total for c in CASELOADS]
        counts = [int(x) for x in shares]
        by_fraction = sorted(range(len(shares)), key=lambda j: (-(shares[j] - counts[j]), j))
        for j in by_fraction[: len(open_) - sum(counts)]:
            counts[j] += 1
        lama = [names[j] for j in range(LAMAS) for _ in range(counts[j])]
        sip = [names[j] for j in range(LAMAS, len(names)) for _ in range(counts[j])]
        self.rng.shuffle(lama)
        self.rng.shuffle(sip)
        above = [
            s for s in open_ if (c := self.level_at(s.cats, self.as_of)) is not None and c.level != "core"
        ]
        above_urns = [s.urn for s in above]
        rest = [s for s in open_ if s.urn not in above_urns]
        for s in above:
            s.adviser = lama.pop() if lama else sip.pop()
        pool = lama + sip
        self.rng.shuffle(pool)
        for s, name in zip(rest, pool, strict=True):
            s.adviser = name
        for s in schools:
            s.former_adviser = s.adviser or self.pick(names)
