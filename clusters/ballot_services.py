"""Secret ballots at a deliberation meeting (bình xét, suy tôn): their defaults, the tally
and re-vote rounds.

Only counts are stored. A ballot round records how many ballots were issued, returned,
valid and invalid and how many votes each candidate received; nothing links a voter to
a choice, and no model has a field that could (domain.md §6).

1. `ballot_defaults` proposes the quota and threshold from the RuleSet of the term's
   year, the members and those present, and the candidates in ranking order.
2. `ballot_create` opens round 1 for one award form.
3. `ballot_tally` checks the numbers with award_rules and stores them with who is
   elected; a tally that does not add up is refused whole (`TallyRefused`).
4. `ballot_revote` opens round n + 1 for the candidates tied at the quota boundary.

Once the cluster's proposal is submitted, its ballots no longer change.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from . import award_rules, scoring
from .meeting_services import DEFAULT_QUORUM_PERCENT, members_on
from .models import (
    Attendance,
    AwardForm,
    Ballot,
    BallotCandidate,
    ClusterYear,
    Meeting,
    Period,
    Proposal,
    RuleSet,
    Unit,
)
from .ranking import load_period
from .selectors import ruleset_for
from .services import ClusterError

Level = AwardForm.Level

# The rule matrix's usual values, used when the province has no RuleSet for the year.
DEFAULT_THRESHOLD_PERCENT = Decimal(50)
DEFAULT_THRESHOLD_STRICT = True
# Proposal states in which the ballots it rests on no longer change.
CLOSED_STATES = (Proposal.State.SUBMITTED, Proposal.State.PROCESSED)


class TallyRefused(ClusterError):
    """The tally's numbers do not add up; `problems` says every reason."""

    def __init__(self, problems: Sequence[award_rules.Problem]):
        super().__init__(" ".join(str(p.message) for p in problems))
        self.problems = list(problems)


# --- Reading -----------------------------------------------------------------------


def threshold_strict(ruleset: RuleSet | None) -> bool:
    return ruleset.threshold_strict if ruleset else DEFAULT_THRESHOLD_STRICT


def quorum_percent(ruleset: RuleSet | None) -> Decimal:
    return ruleset.quorum_percent if ruleset else DEFAULT_QUORUM_PERCENT


@dataclass
class TermRanking:
    """The ranking of a term's annual period, or why there is none (translated)."""

    rows: list[scoring.RankedRow]
    error: str = ""

    def by_unit(self) -> dict[int, scoring.RankedRow]:
        return {row.result.key: row for row in self.rows}


def annual_ranking(term: ClusterYear) -> TermRanking:
    """The members ranked on the agreed scores of the term's annual period."""
    period = (
        Period.objects.filter(cluster_year_id=term.pk, kind=Period.Kind.ANNUAL)
        .select_related("cluster_year__cluster", "cluster_year__covenant__sheet")
        .first()
    )
    if period is None:
        return TermRanking([], _("The term has no annual scoring period."))
    data = load_period(period)
    if data.sheet is None:
        return TermRanking([], _("The covenant has no score sheet yet."))
    try:
        return TermRanking(data.ranking())
    except scoring.ScoreError as e:
        return TermRanking([], e.message)


def _top(rows: Sequence[scoring.RankedRow], quota: int) -> list[int]:
    """The first `quota` rows, and those tied with the last of them."""
    chosen: list[scoring.RankedRow] = []
    for row in rows:
        if len(chosen) >= quota and row.rank != chosen[-1].rank:
            break
        chosen.append(row)
    return [row.result.key for row in chosen]


def default_candidates(
    rows: Sequence[scoring.RankedRow],
    level: str,
    quota: int,
    *,
    flag_units: Iterable[int] | None = None,
    flag_quota: int = 1,
) -> list[int]:
    """The candidates a ballot starts with, as unit ids in ranking order.

    - Provincial flag: the units ranked from the top, not vetoed, within the quota
      (with those tied at its boundary).
    - Certificate of merit: the next ones, after the units for the flag
      (`flag_units`, or else the flag's default candidates).
    - Other forms: none; the secretary chooses.
    """
    ranked = [row for row in rows if not row.result.vetoed]
    if level == Level.PROVINCIAL_FLAG:
        return _top(ranked, quota)
    if level == Level.MERIT_CERTIFICATE:
        if flag_units is None:
            flag_units = _top(ranked, flag_quota)
        excluded = set(flag_units)
        return _top([row for row in ranked if row.result.key not in excluded], quota)
    return []


def elected_units(ballots: Iterable[Ballot]) -> dict[int, set[int]]:
    """Units elected in any round, by award form id; candidates must be prefetched.

    A re-vote round only re-votes the seats left open, so those elected in earlier rounds
    stay elected.
    """
    elected: dict[int, set[int]] = {}
    for ballot in ballots:
        for candidate in ballot.candidates.all():
            if candidate.elected:
                elected.setdefault(ballot.award_form_id, set()).add(candidate.unit_id)
    return elected


@dataclass
class BallotDefaults:
    quota: int
    threshold_percent: Decimal
    members_total: int
    present: int
    # Unit ids in ranking order.
    candidates: list[int]


def ballot_defaults(
    meeting: Meeting,
    award_form: AwardForm,
    *,
    ruleset: RuleSet | None,
    ranking: TermRanking,
    members_total: int,
) -> BallotDefaults:
    """What a new ballot for `award_form` starts with.

    The quota is the RuleSet's flag_quota for the provincial flag, its merit_quota for
    the certificate of merit and 1 otherwise; the threshold is the RuleSet's; the
    members present are those the meeting's attendance marks present.
    """
    flag_quota = ruleset.flag_quota if ruleset else 1
    if award_form.level == Level.PROVINCIAL_FLAG:
        quota = flag_quota
    elif award_form.level == Level.MERIT_CERTIFICATE:
        quota = ruleset.merit_quota if ruleset else 2
    else:
        quota = 1
    flag_units = None
    if award_form.level == Level.MERIT_CERTIFICATE:
        # Those the meeting already elected for the flag are not certificate candidates.
        flag_ballots = Ballot.objects.filter(
            meeting=meeting, award_form__level=Level.PROVINCIAL_FLAG
        ).prefetch_related("candidates")
        elected = set().union(*elected_units(flag_ballots).values())
        flag_units = elected or None
    present = Attendance.objects.filter(meeting=meeting, present=True).count()
    return BallotDefaults(
        quota=max(quota, 1),
        threshold_percent=(
            ruleset.ballot_threshold_percent if ruleset else DEFAULT_THRESHOLD_PERCENT
        ),
        members_total=members_total,
        present=present,
        candidates=default_candidates(
            ranking.rows,
            award_form.level,
            max(quota, 1),
            flag_units=flag_units,
            flag_quota=flag_quota,
        ),
    )


def ballot_result(
    ballot: Ballot, candidates: Sequence[BallotCandidate], strict: bool
) -> award_rules.ElectionResult | None:
    """Who the tally elects and who must be re-voted; None before the tally."""
    if not is_tallied(ballot) or any(c.votes is None for c in candidates):
        return None
    return award_rules.elect(
        {c.unit_id: c.votes for c in candidates},
        [c.unit_id for c in candidates],
        ballot.quota,
        ballot.members_total,
        ballot.threshold_percent,
        strict,
    )


def is_tallied(ballot: Ballot) -> bool:
    return ballot.valid is not None


# --- Checks ------------------------------------------------------------------------


def check_ballots_open(term: ClusterYear) -> None:
    """Ballots change only until the cluster's proposal is submitted."""
    if Proposal.objects.filter(cluster_year_id=term.pk, state__in=CLOSED_STATES).exists():
        raise ClusterError(
            _("The cluster's proposal has been submitted: its ballots can no longer change.")
        )


def _check_deliberation(meeting: Meeting) -> None:
    if meeting.kind != Meeting.Kind.DELIBERATION:
        raise ClusterError(_("Only a deliberation meeting holds ballots."))


def _check_last_round(ballot: Ballot) -> None:
    later = Ballot.objects.filter(
        meeting_id=ballot.meeting_id, award_form_id=ballot.award_form_id, round__gt=ballot.round
    )
    if later.exists():
        raise ClusterError(_("A later round exists: delete it first to change this one."))


def _check_counts(members_total: int, present: int, quota: int, threshold: Decimal) -> None:
    if members_total < 1:
        raise ClusterError(_("The cluster has no member on the meeting date."))
    if present > members_total:
        raise ClusterError(
            _("More members are present (%(present)s) than the cluster has (%(total)s).")
            % {"present": present, "total": members_total}
        )
    if quota < 1:
        raise ClusterError(_("The quota must be at least 1."))
    if not Decimal(0) < threshold <= Decimal(100):
        raise ClusterError(_("The threshold must be above 0 and at most 100 %."))


# --- Writes ------------------------------------------------------------------------


@transaction.atomic
def ballot_create(
    *,
    meeting: Meeting,
    award_form: AwardForm,
    quota: int,
    threshold_percent: Decimal,
    members_total: int,
    present: int,
    candidates: Sequence[Unit],
    tally_committee: str = "",
    note: str = "",
) -> Ballot:
    """Open the first round of a ballot for one award form, candidates in the given order.

    Candidates must be members of the cluster on the meeting date.
    """
    term = meeting.cluster_year
    _check_deliberation(meeting)
    check_ballots_open(term)
    _check_counts(members_total, present, quota, threshold_percent)
    if Ballot.objects.filter(meeting=meeting, award_form=award_form).exists():
        raise ClusterError(
            _("This meeting already has a ballot for %(form)s; hold a re-vote round instead.")
            % {"form": award_form.name}
        )
    if not candidates:
        raise ClusterError(_("Choose at least one candidate."))
    members = set(members_on(term, meeting.date).values_list("pk", flat=True))
    outsiders = [unit.name for unit in candidates if unit.pk not in members]
    if outsiders:
        raise ClusterError(
            _("Not members of the cluster on the meeting date: %(names)s.")
            % {"names": ", ".join(outsiders)}
        )
    ruleset = ruleset_for(term)
    ballot = Ballot.objects.create(
        meeting=meeting,
        award_form=award_form,
        round=1,
        quota=quota,
        threshold_percent=threshold_percent,
        threshold_strict=threshold_strict(ruleset),
        quorum_percent=quorum_percent(ruleset),
        members_total=members_total,
        present=present,
        tally_committee=tally_committee.strip(),
        note=note,
    )
    for position, unit in enumerate(candidates, start=1):
        BallotCandidate.objects.create(ballot=ballot, unit=unit, position=position)
    return ballot


@transaction.atomic
def ballot_tally(
    *,
    ballot: Ballot,
    issued: int,
    returned: int,
    valid: int,
    invalid: int,
    votes: Mapping[int, int],
    tally_committee: str,
) -> award_rules.ElectionResult:
    """Record the tally of a round and who it elects (award_rules.elect).

    `votes` maps each candidate's id (BallotCandidate pk) to its votes; the threshold
    and quorum are those the ballot was opened with. Raises TallyRefused
    with every problem award_rules.tally_problems finds; nothing is saved then.
    """
    check_ballots_open(ballot.meeting.cluster_year)
    _check_last_round(ballot)
    candidates = list(ballot.candidates.select_related("unit"))
    if set(votes) != {c.pk for c in candidates}:
        raise ClusterError(_("Enter the votes of every candidate."))
    by_unit = {c.unit_id: votes[c.pk] for c in candidates}
    result = award_rules.elect(
        by_unit,
        [c.unit_id for c in candidates],
        ballot.quota,
        ballot.members_total,
        ballot.threshold_percent,
        ballot.threshold_strict,
    )
    problems = award_rules.tally_problems(
        award_rules.Tally(
            members_total=ballot.members_total,
            present=ballot.present,
            issued=issued,
            returned=returned,
            valid=valid,
            invalid=invalid,
            votes=by_unit,
            elected=frozenset(result.elected),
            quota=ballot.quota,
            threshold_percent=ballot.threshold_percent,
            strict=ballot.threshold_strict,
            names={c.unit_id: c.unit.name for c in candidates},
            quorum_percent=ballot.quorum_percent,
        )
    )
    if problems:
        raise TallyRefused(problems)
    ballot.issued, ballot.returned, ballot.valid, ballot.invalid = issued, returned, valid, invalid
    ballot.tally_committee = tally_committee.strip()
    ballot.save(update_fields=["issued", "returned", "valid", "invalid", "tally_committee"])
    elected = set(result.elected)
    for candidate in candidates:
        new = (votes[candidate.pk], candidate.unit_id in elected)
        if (candidate.votes, candidate.elected) != new:
            candidate.votes, candidate.elected = new
            candidate.save(update_fields=["votes", "elected"])
    return result


@transaction.atomic
def ballot_revote(*, ballot: Ballot) -> Ballot:
    """Open round n + 1 for the candidates round n left tied at the quota boundary.

    The new round's quota is the seats round n left open; its members, those present,
    threshold and tally committee are round n's.
    """
    check_ballots_open(ballot.meeting.cluster_year)
    _check_last_round(ballot)
    candidates = list(ballot.candidates.all())
    result = ballot_result(ballot, candidates, ballot.threshold_strict)
    if result is None:
        raise ClusterError(_("Record the tally of this round first."))
    if not result.revote:
        raise ClusterError(_("This round needs no re-vote."))
    revote = set(result.revote)
    new = Ballot.objects.create(
        meeting_id=ballot.meeting_id,
        award_form_id=ballot.award_form_id,
        round=ballot.round + 1,
        quota=result.open_seats,
        threshold_percent=ballot.threshold_percent,
        threshold_strict=ballot.threshold_strict,
        quorum_percent=ballot.quorum_percent,
        members_total=ballot.members_total,
        present=ballot.present,
        tally_committee=ballot.tally_committee,
    )
    position = 0
    for candidate in candidates:
        if candidate.unit_id in revote:
            position += 1
            BallotCandidate.objects.create(ballot=new, unit_id=candidate.unit_id, position=position)
    return new


@transaction.atomic
def ballot_delete(*, ballot: Ballot) -> None:
    """Delete a round; the latest round goes first."""
    check_ballots_open(ballot.meeting.cluster_year)
    _check_last_round(ballot)
    ballot.delete()
