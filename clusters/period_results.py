"""A locked period's ranking as clusters.models.scoring.PeriodResult stores it, in JSON,
and read back: pure functions, no ORM (clusters.ranking reads and writes the rows).

`result_to_json(rows, rules, scored)` gives {"rules", "rows", "language"}, the fields of
a PeriodResult; `result_from_json(data)` gives a StoredResult whose `ranking()` equals
the rows that were stored.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import translation

from . import scoring


@dataclass(frozen=True)
class StoredResult:
    """A locked period's result as PeriodResult keeps it (see result_to_json)."""

    rules: scoring.Rules
    # Unit id → its totals; in rank order.
    results: dict[int, scoring.UnitResult]
    # Unit id → (rank, tied, flag candidate), as ranked when the period was locked.
    places: dict[int, tuple[int, bool, bool]]
    # Unit id → its tie-break notes, in `language`.
    notes: dict[int, tuple[str, ...]]
    language: str
    # The units that had an agreed score then.
    scored: frozenset[int]

    def ranking(self) -> list[scoring.RankedRow]:
        """The ranked rows as they were computed at the lock. In another language than
        the stored one, the tie-break notes are written again from the stored totals and
        rules (only units of equal final have any)."""
        notes = self.notes
        if translation.get_language() != self.language:
            results = list(self.results.values())
            notes = dict.fromkeys(self.results, ())
            if len({(r.vetoed, r.final) for r in results}) < len(results):
                notes = {
                    row.result.key: row.tie_break_notes
                    for row in scoring.rank_units(results, self.rules)
                }
        return [
            scoring.RankedRow(
                result=result,
                rank=self.places[key][0],
                tied=self.places[key][1],
                tie_break_notes=notes[key],
                flag_candidate=self.places[key][2],
            )
            for key, result in self.results.items()
        ]


def result_to_json(
    rows: Sequence[scoring.RankedRow], rules: scoring.Rules, scored: Iterable[int] = ()
) -> dict:
    """The ranking of a period as PeriodResult stores it: {"rules": …, "rows": […],
    "language": …}.

    Numbers are strings ("950.00"), so that they read back as the same Decimals. A row
    holds the unit's totals (clusters.scoring.UnitResult), its rank, whether it is tied
    and a flag candidate, its tie-break notes, and whether the unit had an agreed score
    (`scored`). The notes are sentences in the active language, which is recorded.
    """
    scored = set(scored)
    return {
        "language": translation.get_language(),
        "rules": {
            "scale": str(rules.scale),
            "bands": [[label, str(minimum)] for label, minimum in rules.bands],
            "eligibility_min_percent": str(rules.eligibility_min_percent),
            "tie_breaks": list(rules.tie_breaks),
            "core_group": rules.core_group,
            "bonus_cap": str(rules.bonus_cap),
            "targets_required": rules.targets_required,
        },
        "rows": [
            {
                "unit": row.result.key,
                "name": row.result.name,
                "rank": row.rank,
                "tied": row.tied,
                "flag_candidate": row.flag_candidate,
                "notes": list(row.tie_break_notes),
                "scored": row.result.key in scored,
                "group_totals": {
                    code: str(total) for code, total in row.result.group_totals.items()
                },
                "base": str(row.result.base),
                "bonus": str(row.result.bonus),
                "bonus_claimed": str(row.result.bonus_claimed),
                "penalty": str(row.result.penalty),
                "final": str(row.result.final),
                "maximum": str(row.result.maximum),
                "percent": str(row.result.percent),
                "band": row.result.band,
                "vetoed": row.result.vetoed,
                "veto_reasons": list(row.result.veto_reasons),
                "eligible": row.result.eligible,
                "women_majority": row.result.women_majority,
                "votes": row.result.votes,
            }
            for row in rows
        ],
    }


def result_from_json(data: dict) -> StoredResult:
    """What result_to_json wrote, read back."""
    stored = data["rules"]
    rules = scoring.Rules(
        scale=Decimal(stored["scale"]),
        bands=tuple((label, Decimal(minimum)) for label, minimum in stored["bands"]),
        eligibility_min_percent=Decimal(stored["eligibility_min_percent"]),
        tie_breaks=tuple(stored["tie_breaks"]),
        core_group=stored["core_group"],
        bonus_cap=Decimal(stored["bonus_cap"]),
        targets_required=stored["targets_required"],
    )
    results, places, notes, scored = {}, {}, {}, set()
    for row in data["rows"]:
        key = row["unit"]
        results[key] = scoring.UnitResult(
            key=key,
            name=row["name"],
            group_totals={code: Decimal(total) for code, total in row["group_totals"].items()},
            base=Decimal(row["base"]),
            bonus=Decimal(row["bonus"]),
            penalty=Decimal(row["penalty"]),
            final=Decimal(row["final"]),
            maximum=Decimal(row["maximum"]),
            percent=Decimal(row["percent"]),
            band=row["band"],
            vetoed=row["vetoed"],
            veto_reasons=tuple(row["veto_reasons"]),
            eligible=row["eligible"],
            bonus_claimed=Decimal(row["bonus_claimed"]),
            women_majority=row["women_majority"],
            votes=row["votes"],
        )
        places[key] = (row["rank"], row["tied"], row["flag_candidate"])
        notes[key] = tuple(row["notes"])
        if row["scored"]:
            scored.add(key)
    return StoredResult(rules, results, places, notes, data["language"], frozenset(scored))
