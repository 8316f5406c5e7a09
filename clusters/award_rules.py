"""The rules of deliberation, proposals and awards, as pure functions over plain data.

No ORM imports: callers turn meetings, ballots and proposals into the dataclasses
below and get decisions and problems back, so that every rule can be tested without a
database. All arithmetic is Decimal or int, never float; passing a float is a TypeError.

1. `quorum_reached`, `vote_percent`, `threshold_met`: shares of the members.
2. `elect` applies a ballot's quota and threshold to the votes; `tally_problems` lists
   what does not add up in a recorded tally (domain.md §5.2(g)).
3. `proposal_problems` checks a cluster's proposal before it goes to the province, and
   `blocking` says whether problems remain that nobody overrode.
4. `value_on` and `cash_amount`: dated reference data and the cash of an award.

Rounding. A share of the members is printed in the minutes with two decimals, rounded
half up ("có mặt 2/3 đơn vị = 66,67%"), and rules hold percentages with two decimals
(two thirds is stored as 66.67). Every comparison is made between that printed share
and the rule's percentage, so the result always agrees with what the minutes show: 2
of 3 members (66.67 %) reach a two-thirds rule of 66.67 %, and "more than half" of 5
members needs 3 votes (60.00 %) because 2.5 votes cannot be cast. Rounding changes a
result only when the exact share lies within 0.005 of the rule, which needs 200
members or more for a rule in whole percent (10,000 or more for "half"): for clusters
it only makes a stored 66.67 mean two thirds.

Each Problem carries a stable `code` (for tests and for callers that react to one
case), a translated message that is a complete sentence, and the legal basis of the
rule as official documents cite it (in Vietnamese, not translated: it is a citation).
"""

import datetime
from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from types import MappingProxyType

from django.utils.formats import number_format
from django.utils.translation import gettext as _

CENT = Decimal("0.01")
ONE = Decimal("1")
ZERO = Decimal("0")
HUNDRED = Decimal("100")

# Citations, as official documents write them.
LAW_ART_5 = (
    "Luật Thi đua, khen thưởng 2022, Điều 5: "
    "không khen thưởng nhiều lần, nhiều hình thức cho một thành tích"
)
LAW_ART_25 = "Luật Thi đua, khen thưởng 2022, Điều 25"
LAW_ART_26 = "Luật Thi đua, khen thưởng 2022, Điều 26"
DECREE_152_ART_4_4 = "Nghị định 152/2025/NĐ-CP, Điều 4 khoản 4"
PROVINCIAL_RULES = "Quy định của tỉnh"


class Level(StrEnum):
    # The same values as AwardForm.Level in clusters.models.awards, which stores them.
    PROVINCIAL_FLAG = "provincial_flag"
    MERIT_CERTIFICATE = "merit_certificate"
    GOVERNMENT_FLAG = "government_flag"
    OTHER = "other"


# Forms a cluster's result leads to, which its secret ballot decides.
CLUSTER_RESULT_LEVELS = frozenset(
    {Level.PROVINCIAL_FLAG, Level.MERIT_CERTIFICATE, Level.GOVERNMENT_FLAG}
)

# Forms that reward the same achievement (Law Art. 5), as pairs; a one-element set
# means the form given twice. The provincial flag and the Government flag do not
# conflict: the Government flag is chosen among the units that lead their clusters
# (Law Art. 25.1), so the leader may be proposed for both and the Council chooses.
# Forms of level "other" are titles of the unit itself and are not checked.
DOUBLE_AWARD_CONFLICTS = frozenset(
    {
        frozenset({Level.PROVINCIAL_FLAG, Level.MERIT_CERTIFICATE}),
        frozenset({Level.GOVERNMENT_FLAG, Level.MERIT_CERTIFICATE}),
        frozenset({Level.PROVINCIAL_FLAG}),
        frozenset({Level.MERIT_CERTIFICATE}),
        frozenset({Level.GOVERNMENT_FLAG}),
    }
)

# Forms that go only to the unit that leads the cluster, with the article that says so.
LEADER_LEVELS = MappingProxyType(
    {Level.PROVINCIAL_FLAG: LAW_ART_26, Level.GOVERNMENT_FLAG: LAW_ART_25}
)


@dataclass(frozen=True)
class Problem:
    code: str
    # Translated, a complete sentence.
    message: str
    # The rule's citation; empty for arithmetic that needs none.
    legal_basis: str = ""


# --- Checking arguments ------------------------------------------------------------


def _count(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    if value < 0:
        raise ValueError(f"{name} cannot be negative")
    return value


def _decimal(value: object, name: str) -> Decimal:
    """A Decimal from a Decimal or an int; floats are refused, since they are inexact."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise TypeError(f"{name} must be a Decimal or an int, not {type(value).__name__}")
    number = Decimal(value)
    if not number.is_finite():
        raise ValueError(f"{name} must be a finite number")
    return number


def _percent(value: object) -> Decimal:
    percent = _decimal(value, "percent")
    if not ZERO <= percent <= HUNDRED:
        raise ValueError("percent must be between 0 and 100")
    return percent


def _format_percent(value: Decimal) -> str:
    """66,67 in Vietnamese, 66.67 in English."""
    return number_format(value, decimal_pos=2)


# --- Shares of the members ---------------------------------------------------------


def _share(part: int, whole: int) -> Decimal:
    """part / whole in percent, rounded half up to 0.01, computed exactly in integers."""
    hundredths = (part * 20000 + whole) // (2 * whole)
    return (Decimal(hundredths) / HUNDRED).quantize(CENT)


def vote_percent(votes: int, members_total: int) -> Decimal:
    """votes as a percentage of members_total with two decimals, rounded half up.

    The share printed in the tally minutes; vote_percent(votes, present) gives the share
    of the members present. With no members the share is 0.00.
    """
    votes = _count(votes, "votes")
    members_total = _count(members_total, "members_total")
    if members_total == 0:
        return ZERO.quantize(CENT)
    return _share(votes, members_total)


def quorum_reached(present: int, total: int, percent: Decimal) -> bool:
    """Whether present of total members is at least percent of them.

    The share is rounded as the minutes print it (see the module's docstring): 2 of 3
    members reach a quorum of 66.67. A cluster with no members never has a quorum.
    """
    present = _count(present, "present")
    total = _count(total, "total")
    percent = _percent(percent)
    if total == 0:
        return False
    return _share(present, total) >= percent


def threshold_met(votes: int, members_total: int, percent: Decimal, strict: bool) -> bool:
    """Whether votes reach the threshold, counted against ALL members (not those present).

    strict: more than percent is needed ("quá nửa"); otherwise at least percent. The
    share is rounded as the minutes print it. A candidate without a single vote never
    meets a threshold, even a threshold of 0.
    """
    votes = _count(votes, "votes")
    members_total = _count(members_total, "members_total")
    percent = _percent(percent)
    if votes == 0 or members_total == 0:
        return False
    share = _share(votes, members_total)
    return share > percent if strict else share >= percent


# --- Elections ---------------------------------------------------------------------


@dataclass(frozen=True)
class ElectionResult:
    # By votes, highest first; equal votes in the ranking order.
    elected: tuple
    # Tied at the last seat of the quota: none of them is elected, they go to a re-vote
    # for the open seats. In the ranking order.
    revote: tuple
    # Fewer candidates reach the threshold than the quota.
    shortfall: bool
    # Seats of the quota left: for the re-vote when `revote`, else left empty.
    open_seats: int = 0


def elect(
    votes: Mapping[Hashable, int],
    order: Sequence[Hashable],
    quota: int,
    members_total: int,
    percent: Decimal,
    strict: bool,
) -> ElectionResult:
    """Apply a ballot's quota and threshold to the votes.

    `order` is the ranking order and lists every candidate once; a candidate missing
    from `votes` has no vote. Every key of `votes` must be in `order`.

    1. The candidates that meet the threshold (threshold_met, against all members)
       qualify; the others are never elected.
    2. Those qualifying are taken by votes, highest first, up to the quota. Equal votes
       keep the ranking order, which matters only for the order of `elected`.
    3. When candidates with equal votes straddle the quota's last seat, none of them is
       elected: they all go to `revote` for the seats left (`open_seats`).
    4. When fewer candidates qualify than the quota, all of them are elected and
       `shortfall` is set.

    The result depends only on the votes and the order, never on the order of the
    `votes` mapping. A quota of 0 elects nobody.
    """
    quota = _count(quota, "quota")
    members_total = _count(members_total, "members_total")
    percent = _percent(percent)
    order = list(order)
    if len(set(order)) != len(order):
        raise ValueError("each candidate must appear once in the order")
    unknown = set(votes) - set(order)
    if unknown:
        raise ValueError("every candidate with votes must be in the order")
    counts = {key: _count(votes.get(key, 0), "votes") for key in order}

    qualifying = [
        key for key in order if threshold_met(counts[key], members_total, percent, strict)
    ]
    # sorted() is stable: equal votes keep the ranking order.
    qualifying.sort(key=lambda key: counts[key], reverse=True)
    if len(qualifying) <= quota:
        return ElectionResult(
            elected=tuple(qualifying),
            revote=(),
            shortfall=len(qualifying) < quota,
            open_seats=quota - len(qualifying),
        )
    if quota == 0:
        return ElectionResult(elected=(), revote=(), shortfall=False, open_seats=0)
    last = counts[qualifying[quota - 1]]
    if counts[qualifying[quota]] != last:
        return ElectionResult(elected=tuple(qualifying[:quota]), revote=(), shortfall=False)
    elected = tuple(key for key in qualifying if counts[key] > last)
    revote = tuple(key for key in order if key in qualifying and counts[key] == last)
    return ElectionResult(
        elected=elected, revote=revote, shortfall=False, open_seats=quota - len(elected)
    )


# --- Tallies -----------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    """A recorded tally of one ballot round.

    The counts issued, returned, valid and invalid, and a candidate's votes, may be None
    while they are not recorded; the checks that need them are then skipped.
    `votes` lists the candidates, best in the ranking order. `names` gives the names to
    print for the keys (the key itself is printed otherwise). Without `quorum_percent`
    the quorum is not checked.
    """

    members_total: int
    present: int
    issued: int | None
    returned: int | None
    valid: int | None
    invalid: int | None
    votes: Mapping[Hashable, int | None] = field(hash=False)
    elected: frozenset
    quota: int
    threshold_percent: Decimal
    strict: bool
    names: Mapping[Hashable, str] = field(default_factory=dict, hash=False)
    quorum_percent: Decimal | None = None

    def __post_init__(self):
        object.__setattr__(self, "votes", MappingProxyType(dict(self.votes)))
        object.__setattr__(self, "elected", frozenset(self.elected))
        object.__setattr__(self, "names", MappingProxyType(dict(self.names)))

    def name(self, key: Hashable) -> str:
        return self.names.get(key) or str(key)


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _tally_rules_problems(tally: Tally) -> list[Problem]:
    """Numbers that cannot even be checked: negative counts, a quota or threshold out of range."""
    counts = [
        tally.members_total,
        tally.present,
        tally.issued,
        tally.returned,
        tally.valid,
        tally.invalid,
        *tally.votes.values(),
    ]
    problems = []
    if any(value is not None and (not _is_count(value) or value < 0) for value in counts):
        problems.append(
            Problem(
                "negative_count",
                _("Every count must be a whole number of zero or more."),
            )
        )
    if not _is_count(tally.quota) or tally.quota < 0:
        problems.append(
            Problem(
                "invalid_quota",
                _("The quota must be a whole number of zero or more."),
                PROVINCIAL_RULES,
            )
        )
    percents = [("invalid_threshold", tally.threshold_percent)]
    if tally.quorum_percent is not None:
        percents.append(("invalid_quorum", tally.quorum_percent))
    for code, percent in percents:
        try:
            _percent(percent)
        except (TypeError, ValueError):
            problems.append(
                Problem(
                    code,
                    _("A percentage of the members must be between 0 and 100."),
                    PROVINCIAL_RULES,
                )
            )
    return problems


def _count_problems(tally: Tally) -> list[Problem]:
    """The counts of members and ballots, and the quorum."""
    problems = []
    total, present = tally.members_total, tally.present
    issued, returned, valid, invalid = tally.issued, tally.returned, tally.valid, tally.invalid
    if total == 0:
        problems.append(
            Problem("no_members", _("The cluster has no members, so nobody can be elected."))
        )
    if present > total:
        problems.append(
            Problem(
                "present_above_total",
                _(
                    "%(present)s members are recorded as present, but the cluster has only "
                    "%(total)s."
                )
                % {"present": present, "total": total},
            )
        )
    elif tally.quorum_percent is not None and not quorum_reached(
        present, total, tally.quorum_percent
    ):
        problems.append(
            Problem(
                "quorum_not_reached",
                _(
                    "Only %(present)s of the %(total)s members (%(share)s%%) are present, "
                    "below the quorum of %(quorum)s%% of the members."
                )
                % {
                    "present": present,
                    "total": total,
                    "share": _format_percent(vote_percent(present, total)),
                    "quorum": _format_percent(tally.quorum_percent),
                },
                PROVINCIAL_RULES,
            )
        )
    if issued is not None and issued > present:
        problems.append(
            Problem(
                "issued_above_present",
                _(
                    "%(issued)s ballots were issued, but only %(present)s members are present "
                    "and each receives one ballot."
                )
                % {"issued": issued, "present": present},
            )
        )
    if returned is not None:
        if issued is not None and returned > issued:
            problems.append(
                Problem(
                    "returned_above_issued",
                    _("%(returned)s ballots were returned, but only %(issued)s were issued.")
                    % {"returned": returned, "issued": issued},
                )
            )
        elif issued is None and returned > present:
            problems.append(
                Problem(
                    "returned_above_present",
                    _(
                        "%(returned)s ballots were returned, but only %(present)s members "
                        "are present."
                    )
                    % {"returned": returned, "present": present},
                )
            )
        if valid is not None and invalid is not None and valid + invalid != returned:
            problems.append(
                Problem(
                    "valid_invalid_sum",
                    _(
                        "%(valid)s valid and %(invalid)s invalid ballots make %(sum)s, not the "
                        "%(returned)s ballots returned."
                    )
                    % {
                        "valid": valid,
                        "invalid": invalid,
                        "sum": valid + invalid,
                        "returned": returned,
                    },
                )
            )
    return problems


def _vote_problems(tally: Tally) -> list[Problem]:
    """The votes against the valid ballots: no candidate above them, no ballot over the quota."""
    valid = tally.valid
    if valid is None:
        return []
    problems = []
    for key, votes in tally.votes.items():
        if votes is not None and votes > valid:
            problems.append(
                Problem(
                    "votes_above_valid",
                    _("%(candidate)s has %(votes)s votes, more than the %(valid)s valid ballots.")
                    % {"candidate": tally.name(key), "votes": votes, "valid": valid},
                )
            )
    cast = sum(votes for votes in tally.votes.values() if votes is not None)
    if cast > valid * tally.quota:
        problems.append(
            Problem(
                "too_many_votes",
                _(
                    "The candidates have %(votes)s votes in all, but %(valid)s valid ballots "
                    "keep at most %(quota)s names each, %(most)s votes in all."
                )
                % {
                    "votes": cast,
                    "valid": valid,
                    "quota": tally.quota,
                    "most": valid * tally.quota,
                },
                PROVINCIAL_RULES,
            )
        )
    return problems


def _below_threshold(tally: Tally, key: Hashable, votes: int) -> Problem:
    values = {
        "candidate": tally.name(key),
        "votes": votes,
        "share": _format_percent(vote_percent(votes, tally.members_total)),
        "total": tally.members_total,
        "threshold": _format_percent(tally.threshold_percent),
    }
    if tally.strict:
        message = _(
            "%(candidate)s is marked elected with %(votes)s votes, %(share)s%% of all "
            "%(total)s members, which is not more than the threshold of %(threshold)s%%."
        )
    else:
        message = _(
            "%(candidate)s is marked elected with %(votes)s votes, %(share)s%% of all "
            "%(total)s members, which is below the threshold of %(threshold)s%%."
        )
    return Problem("elected_below_threshold", message % values, PROVINCIAL_RULES)


def _election_problems(tally: Tally) -> list[Problem]:
    """The elected candidates against the quota, the threshold and the votes."""
    problems = []
    if len(tally.elected) > tally.quota:
        problems.append(
            Problem(
                "over_quota",
                _("%(elected)s candidates are marked elected, but the quota is %(quota)s.")
                % {"elected": len(tally.elected), "quota": tally.quota},
                PROVINCIAL_RULES,
            )
        )
    for key in sorted(tally.elected - set(tally.votes), key=str):
        problems.append(
            Problem(
                "elected_not_candidate",
                _("%(candidate)s is marked elected but is not a candidate on this ballot.")
                % {"candidate": tally.name(key)},
            )
        )
    all_recorded = all(votes is not None for votes in tally.votes.values())
    result = None
    if all_recorded:
        result = elect(
            tally.votes,
            list(tally.votes),
            tally.quota,
            tally.members_total,
            tally.threshold_percent,
            tally.strict,
        )
    for key, votes in tally.votes.items():
        name = {"candidate": tally.name(key)}
        if key in tally.elected:
            if votes is None:
                problems.append(
                    Problem(
                        "votes_missing",
                        _("%(candidate)s is marked elected, but their votes are not recorded.")
                        % name,
                    )
                )
            elif not threshold_met(
                votes, tally.members_total, tally.threshold_percent, tally.strict
            ):
                problems.append(_below_threshold(tally, key, votes))
            elif result is not None and key in result.revote:
                others = ", ".join(tally.name(k) for k in result.revote if k != key)
                problems.append(
                    Problem(
                        "tie_needs_revote",
                        _(
                            "%(candidate)s is marked elected, but ties with %(others)s for the "
                            "last seats of the quota; the tied candidates go to a re-vote."
                        )
                        % (name | {"others": others}),
                        PROVINCIAL_RULES,
                    )
                )
            elif result is not None and key not in result.elected:
                problems.append(
                    Problem(
                        "elected_outranked",
                        _(
                            "%(candidate)s is marked elected, but candidates with more votes "
                            "fill the quota."
                        )
                        % name,
                        PROVINCIAL_RULES,
                    )
                )
        elif result is not None and key in result.elected:
            problems.append(
                Problem(
                    "not_elected_but_winning",
                    _(
                        "%(candidate)s has %(votes)s votes, reaches the threshold and is within "
                        "the quota, but is not marked elected."
                    )
                    % (name | {"votes": votes}),
                    PROVINCIAL_RULES,
                )
            )
    return problems


def tally_problems(tally: Tally) -> list[Problem]:
    """Everything in a tally that does not add up, in the order of the tally minutes.

    Members: present ≤ members_total, the quorum (when quorum_percent is given).
    Ballots: issued ≤ present, returned ≤ issued, valid + invalid = returned.
    Votes: a candidate's votes ≤ valid; all votes ≤ valid × quota (a valid ballot keeps
    at most `quota` names). Elected: no more than the quota; each one a candidate, with
    recorded votes, meeting the threshold, not tied at the quota's last seat (those go
    to a re-vote) and not outranked; and every candidate that `elect` elects is marked
    elected. An empty list means the tally is consistent.

    Negative counts or a quota or threshold out of range are reported alone, since
    nothing else can be checked with them.
    """
    problems = _tally_rules_problems(tally)
    if problems:
        return problems
    return _count_problems(tally) + _vote_problems(tally) + _election_problems(tally)


# --- Proposals ---------------------------------------------------------------------


@dataclass(frozen=True)
class ProposedItem:
    """One unit proposed for one form, with what the checks need to know about it.

    `rank` and `tied` come from the cluster's ranking; `eligible` and `vetoed` from the
    scoring (scoring.UnitResult); `elected` from the ballot for this form. `name` and
    `form_name` are printed in messages (the unit key and a generic name otherwise).
    """

    key: Hashable
    unit_key: Hashable
    level: str
    rank: int | None
    tied: bool
    eligible: bool
    vetoed: bool
    vote_percent: Decimal | None
    elected: bool
    overridden: bool
    name: str = ""
    form_name: str = ""
    veto_reasons: tuple[str, ...] = ()


def level_label(level: str) -> str:
    """A form's generic name, to print when the caller gives none."""
    labels = {
        Level.PROVINCIAL_FLAG: _("the provincial emulation flag"),
        Level.MERIT_CERTIFICATE: _("the provincial certificate of merit"),
        Level.GOVERNMENT_FLAG: _("the Government emulation flag"),
    }
    return labels.get(level, _("this form of commendation"))


def _names(item: ProposedItem) -> dict[str, str]:
    return {
        "unit": item.name or str(item.unit_key),
        "form": item.form_name or level_label(item.level),
    }


def _leader_problems(item: ProposedItem) -> list[Problem]:
    """A flag goes only to the unit ranked first alone that meets the criteria."""
    basis = LEADER_LEVELS.get(item.level)
    if basis is None:
        return []
    names = _names(item)
    problems = []
    if item.rank is None:
        problems.append(
            Problem(
                "flag_not_leader",
                _(
                    "%(unit)s has no rank in the cluster, and %(form)s goes only to the unit "
                    "that leads the cluster."
                )
                % names,
                basis,
            )
        )
    elif item.rank != 1:
        problems.append(
            Problem(
                "flag_not_leader",
                _(
                    "%(unit)s ranks %(rank)s in the cluster, and %(form)s goes only to the unit "
                    "that leads the cluster."
                )
                % (names | {"rank": item.rank}),
                basis,
            )
        )
    elif item.tied:
        problems.append(
            Problem(
                "flag_tied",
                _(
                    "%(unit)s shares the first rank with another unit; the tie must be settled "
                    "before %(unit)s can be proposed for %(form)s."
                )
                % names,
                basis,
            )
        )
    if not item.eligible:
        problems.append(
            Problem(
                "not_eligible",
                _(
                    "%(unit)s does not meet the criteria for %(form)s (the minimum score or "
                    "the covenant targets)."
                )
                % names,
                basis,
            )
        )
    return problems


def _item_problems(item: ProposedItem) -> list[Problem]:
    names = _names(item)
    problems = _leader_problems(item)
    if item.vetoed:
        if item.veto_reasons:
            message = _(
                "%(unit)s cannot be proposed for %(form)s because of a veto condition: %(reasons)s."
            ) % (names | {"reasons": "; ".join(item.veto_reasons)})
        else:
            message = (
                _("%(unit)s cannot be proposed for %(form)s because of a veto condition.") % names
            )
        problems.append(Problem("vetoed", message, DECREE_152_ART_4_4))
    if item.level in CLUSTER_RESULT_LEVELS and not item.elected:
        problems.append(
            Problem(
                "not_elected",
                _("%(unit)s was not elected for %(form)s by the cluster's secret ballot.") % names,
                PROVINCIAL_RULES,
            )
        )
    return problems


def _quota_order(item: ProposedItem) -> tuple:
    # Unranked items last; sorted() keeps the input order among equals.
    return (item.rank is None, item.rank or 0)


def _quota_problems(
    items: Sequence[ProposedItem], level: str, quota: int
) -> dict[Hashable, Problem]:
    """The items of a level beyond its quota, taken in rank order."""
    ordered = sorted((i for i in items if i.level == level), key=_quota_order)
    problems = {}
    for number, item in enumerate(ordered[quota:], start=quota + 1):
        problems[item.key] = Problem(
            "over_quota",
            _(
                "A cluster may propose at most %(quota)s units for %(form)s, and %(unit)s is "
                "number %(number)s in rank order."
            )
            % (_names(item) | {"quota": quota, "number": number}),
            PROVINCIAL_RULES,
        )
    return problems


def _conflict(conflicts: Collection[frozenset], a: str, b: str) -> bool:
    return frozenset({a, b}) in conflicts


def _double_award_problems(
    item: ProposedItem,
    items: Sequence[ProposedItem],
    earlier: Collection[str],
    conflicts: Collection[frozenset],
) -> list[Problem]:
    names = _names(item)
    problems = []
    for other in items:
        if other is item or other.unit_key != item.unit_key:
            continue
        if _conflict(conflicts, item.level, other.level):
            problems.append(
                Problem(
                    "double_award",
                    _(
                        "%(unit)s is proposed for both %(form)s and %(other)s, but one "
                        "achievement receives one form of commendation."
                    )
                    % (names | {"other": other.form_name or level_label(other.level)}),
                    LAW_ART_5,
                )
            )
    for level in sorted(earlier):
        if _conflict(conflicts, item.level, level):
            problems.append(
                Problem(
                    "already_awarded",
                    _(
                        "%(unit)s has already received %(other)s for this year, and one "
                        "achievement receives one form of commendation."
                    )
                    % (names | {"other": level_label(level)}),
                    LAW_ART_5,
                )
            )
    return problems


def proposal_problems(
    items: Sequence[ProposedItem],
    *,
    flag_quota: int,
    merit_quota: int,
    deadline: datetime.date | None,
    today: datetime.date,
    earlier_awards: Mapping[Hashable, Collection[str]] = MappingProxyType({}),
    conflicts: Collection[frozenset] = DOUBLE_AWARD_CONFLICTS,
) -> dict[Hashable | None, list[Problem]]:
    """Check a cluster's proposal before submission; every problem carries its basis.

    The result has a list, possibly empty, for None (the proposal as a whole) and for
    every item's key. Problems are listed whether or not the item is overridden: the
    caller decides what an override lifts (see `blocking`).

    The whole proposal: it lists no unit ("empty"); the deadline has passed (the
    deadline is the last day allowed: submitting on it is in time).

    Each item:
    - "flag_not_leader", "flag_tied", "not_eligible": the provincial flag (Law Art. 26)
      and the Government flag (Art. 25) go only to the unit ranked first alone that
      meets the criteria;
    - "vetoed": a veto condition (NĐ 152/2025 Art. 4(4)) bars every form;
    - "not_elected": a form decided by the cluster's ballot that the ballot did not give;
    - "over_quota": flags beyond flag_quota, certificates beyond merit_quota, taken in
      rank order (unranked last, then in the given order);
    - "double_award": the same unit proposed for conflicting forms (Law Art. 5, see
      DOUBLE_AWARD_CONFLICTS), reported on each of the items;
    - "already_awarded": a form conflicting with one the unit already received for the
      same year's achievement (`earlier_awards`: unit key → levels).
    """
    keys = [item.key for item in items]
    if None in keys or len(set(keys)) != len(keys):
        raise ValueError("each item needs its own key, and None is the proposal's")
    flag_quota = _count(flag_quota, "flag_quota")
    merit_quota = _count(merit_quota, "merit_quota")

    whole = []
    if not items:
        whole.append(Problem("empty", _("The proposal lists no unit.")))
    if deadline is not None and today > deadline:
        whole.append(
            Problem(
                "deadline_passed",
                _("The deadline for proposals was %(deadline)s and it has passed.")
                % {"deadline": deadline.strftime("%d/%m/%Y")},
                PROVINCIAL_RULES,
            )
        )
    over_quota = _quota_problems(items, Level.PROVINCIAL_FLAG, flag_quota) | _quota_problems(
        items, Level.MERIT_CERTIFICATE, merit_quota
    )
    result: dict[Hashable | None, list[Problem]] = {None: whole}
    for item in items:
        problems = _item_problems(item)
        if item.key in over_quota:
            problems.append(over_quota[item.key])
        problems += _double_award_problems(
            item, items, earlier_awards.get(item.unit_key, ()), conflicts
        )
        result[item.key] = problems
    return result


def unresolved(
    problems_by_key: Mapping[Hashable | None, Sequence[Problem]],
    overridden_keys: Collection[Hashable | None],
) -> dict[Hashable | None, list[Problem]]:
    """The problems no override lifts: those of keys not in overridden_keys.

    An overridden item keeps all its problems on record, but they no longer block. None
    in overridden_keys lifts the problems of the proposal as a whole.
    """
    return {
        key: list(problems)
        for key, problems in problems_by_key.items()
        if problems and key not in overridden_keys
    }


def blocking(
    problems_by_key: Mapping[Hashable | None, Sequence[Problem]],
    overridden_keys: Collection[Hashable | None],
) -> bool:
    """Whether any problem remains that no override lifts (see `unresolved`)."""
    return bool(unresolved(problems_by_key, overridden_keys))


def overridden_keys(items: Sequence[ProposedItem]) -> frozenset:
    """The keys of the items provincial staff overrode."""
    return frozenset(item.key for item in items if item.overridden)


# --- Reference data and cash -------------------------------------------------------


def value_on(dated: Sequence[tuple[datetime.date, Decimal]], day: datetime.date) -> Decimal | None:
    """The value in force on day: that of the latest valid_from on or before it.

    None when every value starts later. Two different values from the same date are
    ambiguous and refused (ValueError); the same value listed twice is not.
    """
    best: tuple[datetime.date, Decimal] | None = None
    seen: dict[datetime.date, Decimal] = {}
    for valid_from, value in dated:
        if valid_from in seen and seen[valid_from] != value:
            raise ValueError(f"two different values from {valid_from}")
        seen[valid_from] = value
        if valid_from <= day and (best is None or valid_from > best[0]):
            best = (valid_from, value)
    return None if best is None else best[1]


def cash_amount(multiple: Decimal, base_salary: Decimal) -> Decimal:
    """multiple × base_salary in VND, rounded half up to the đồng (NĐ 152/2025 Art. 50–54)."""
    multiple = _decimal(multiple, "multiple")
    base_salary = _decimal(base_salary, "base_salary")
    if multiple < 0 or base_salary < 0:
        raise ValueError("the multiple and the base salary cannot be negative")
    return (multiple * base_salary).quantize(ONE, rounding=ROUND_HALF_UP)


__all__ = [
    "CLUSTER_RESULT_LEVELS",
    "DOUBLE_AWARD_CONFLICTS",
    "ElectionResult",
    "Level",
    "Problem",
    "ProposedItem",
    "Tally",
    "blocking",
    "cash_amount",
    "elect",
    "level_label",
    "overridden_keys",
    "proposal_problems",
    "quorum_reached",
    "tally_problems",
    "threshold_met",
    "unresolved",
    "value_on",
    "vote_percent",
]
