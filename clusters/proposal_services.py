"""The cluster's proposal to the province for a year (Tờ trình đề nghị khen thưởng): its
items, the checks before submission and the states it goes through.

States: draft → submitted → (returned by the province → submitted again) → processed.
The cluster edits the proposal only while it is a draft or returned.

The checks are award_rules.proposal_problems, each with its legal basis: the flag only
for the leading eligible unit (Law 06/2022 Art. 26), the quotas of the RuleSet, one
achievement one form (Law Art. 5, counting awards already recorded for the unit and
year), vetoes from the scoring, the ballot's result and the proposal deadline.
Problems of the whole proposal (the deadline) apply to every item. Submission is
refused while an item has a problem that provincial staff have not overridden with a
written reason; the reason is the item's `override_reason`, kept in its history.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from . import award_rules, notification_services
from .ballot_services import TermRanking, annual_ranking, default_candidates, ruleset_for
from .models import (
    AwardForm,
    AwardRecipient,
    Ballot,
    BallotCandidate,
    ClusterYear,
    Meeting,
    Membership,
    Proposal,
    ProposalItem,
    RuleSet,
    Unit,
)
from .services import ClusterError

State = Proposal.State
Level = AwardForm.Level

EDITABLE_STATES = frozenset({State.DRAFT, State.RETURNED})
# Provincial staff may still override a check while they appraise a submitted proposal.
OVERRIDABLE_STATES = frozenset({State.DRAFT, State.RETURNED, State.SUBMITTED})


# --- What the checks and the pre-filled items are computed from --------------------


@dataclass
class BallotOutcome:
    """The term's deliberation ballots, per award form: of the latest meeting that held
    one for the form, who was elected (in any round) and each candidate's vote share."""

    # Award form ids for which that meeting opened a ballot, tallied or not.
    held: set[int] = field(default_factory=set)
    # Award form id → elected unit ids, in ballot order.
    elected: dict[int, list[int]] = field(default_factory=dict)
    # (award form id, unit id) → % of all members in the latest tallied round they stood in.
    vote_percent: dict[tuple[int, int], Decimal] = field(default_factory=dict)


def ballot_outcome(term: ClusterYear) -> BallotOutcome:
    """Read the term's deliberation ballots in two queries."""
    ballots = (
        Ballot.objects.filter(
            meeting__cluster_year_id=term.pk, meeting__kind=Meeting.Kind.DELIBERATION
        )
        .select_related("meeting")
        .prefetch_related(
            Prefetch("candidates", queryset=BallotCandidate.objects.order_by("position", "pk"))
        )
        .order_by("meeting__date", "meeting_id", "round")
    )
    latest_meeting: dict[int, int] = {}
    for ballot in ballots:
        latest_meeting[ballot.award_form_id] = ballot.meeting_id
    outcome = BallotOutcome()
    for ballot in ballots:
        form_id = ballot.award_form_id
        if latest_meeting[form_id] != ballot.meeting_id:
            continue
        outcome.held.add(form_id)
        elected = outcome.elected.setdefault(form_id, [])
        for candidate in ballot.candidates.all():
            if candidate.votes is None or ballot.valid is None:
                continue
            outcome.vote_percent[(form_id, candidate.unit_id)] = award_rules.vote_percent(
                candidate.votes, ballot.members_total
            )
            if candidate.elected and candidate.unit_id not in elected:
                elected.append(candidate.unit_id)
    return outcome


@dataclass
class ProposalData:
    ruleset: RuleSet | None
    ranking: TermRanking
    ballots: BallotOutcome

    @property
    def flag_quota(self) -> int:
        return self.ruleset.flag_quota if self.ruleset else 1

    @property
    def merit_quota(self) -> int:
        return self.ruleset.merit_quota if self.ruleset else 2

    @property
    def deadline(self) -> datetime.date | None:
        return self.ruleset.proposal_deadline if self.ruleset else None


def proposal_data(term: ClusterYear) -> ProposalData:
    return ProposalData(ruleset_for(term), annual_ranking(term), ballot_outcome(term))


@dataclass
class Prefill:
    unit_id: int
    award_form: AwardForm
    score: Decimal | None
    rank: int | None
    vote_percent: Decimal | None


def prefill(data: ProposalData) -> tuple[str, list[Prefill]]:
    """The items a new proposal starts with, and where they come from ("ballots" or
    "ranking"): those elected by the term's deliberation ballots, or, when no ballot was
    held, the flag candidate and the next units of the ranking within the quotas."""
    rows = data.ranking.by_unit()
    forms = list(AwardForm.objects.all())

    def item(unit_id: int, award_form: AwardForm) -> Prefill:
        row = rows.get(unit_id)
        return Prefill(
            unit_id=unit_id,
            award_form=award_form,
            score=row.result.final if row else None,
            rank=row.rank if row else None,
            vote_percent=data.ballots.vote_percent.get((award_form.pk, unit_id)),
        )

    if data.ballots.held:
        return "ballots", [
            item(unit_id, award_form)
            for award_form in forms
            for unit_id in data.ballots.elected.get(award_form.pk, [])
        ]
    flag = next((f for f in forms if f.level == Level.PROVINCIAL_FLAG), None)
    merit = next((f for f in forms if f.level == Level.MERIT_CERTIFICATE), None)
    items = []
    flag_units = [r.result.key for r in data.ranking.rows if r.flag_candidate][: data.flag_quota]
    if flag:
        items += [item(unit_id, flag) for unit_id in flag_units]
    if merit:
        merit_units = default_candidates(
            data.ranking.rows, Level.MERIT_CERTIFICATE, data.merit_quota, flag_units=flag_units
        )
        items += [item(unit_id, merit) for unit_id in merit_units]
    return "ranking", items


# --- Checks ------------------------------------------------------------------------


@dataclass
class ItemCheck:
    item: ProposalItem
    name: str
    problems: list[award_rules.Problem]

    @property
    def overridden(self) -> bool:
        return bool(self.item.override_reason)


@dataclass
class ProposalChecks:
    items: list[ItemCheck]
    # Problems of the whole proposal (no item, the deadline); they apply to every item.
    general: list[award_rules.Problem]
    deadline: datetime.date | None
    # award_rules.unresolved: what no override lifts, by item pk (None: the whole).
    unresolved: dict

    @property
    def blocking(self) -> list[tuple[str, award_rules.Problem]]:
        """What stops the submission, as (unit name or "", problem)."""
        names = {check.item.pk: check.name for check in self.items}
        return [
            (names.get(key, ""), problem)
            for key, problems in self.unresolved.items()
            for problem in problems
        ]


def earlier_awards(
    term: ClusterYear, unit_ids: Sequence[int], *, proposal: Proposal | None
) -> dict[int, set[str]]:
    """Award levels already recorded for the units and the term's year, except those
    granted on this proposal's own items."""
    recipients = AwardRecipient.objects.filter(unit_id__in=unit_ids, year=term.year)
    if proposal is not None:
        recipients = recipients.exclude(proposal_item__proposal=proposal)
    found: dict[int, set[str]] = {}
    for unit_id, level in recipients.values_list("unit_id", "decision__award_form__level"):
        found.setdefault(unit_id, set()).add(level)
    return found


def proposal_checks(
    proposal: Proposal,
    items: Sequence[ProposalItem],
    data: ProposalData,
    *,
    today: datetime.date | None = None,
) -> ProposalChecks:
    """Every item's problems and the proposal's own, from award_rules.proposal_problems.

    Pass items with their award form; the ranking and the ballots come from `data`.
    """
    today = today or timezone.localdate()
    rows = data.ranking.by_unit()
    proposed, names = [], {}
    for item in items:
        row = rows.get(item.unit_id)
        form_id = item.award_form_id
        names[item.pk] = row.result.name if row else item.unit.name
        proposed.append(
            award_rules.ProposedItem(
                key=item.pk,
                unit_key=item.unit_id,
                level=item.award_form.level,
                rank=row.rank if row else None,
                tied=row.tied if row else False,
                eligible=row.result.eligible if row else False,
                vetoed=row.result.vetoed if row else False,
                vote_percent=item.vote_percent,
                # Where no ballot decided the form, there is no result to contradict.
                elected=(
                    item.unit_id in data.ballots.elected.get(form_id, [])
                    if form_id in data.ballots.held
                    else True
                ),
                overridden=bool(item.override_reason),
                name=names[item.pk],
                form_name=item.award_form.name,
                veto_reasons=row.result.veto_reasons if row else (),
            )
        )
    problems = award_rules.proposal_problems(
        proposed,
        flag_quota=data.flag_quota,
        merit_quota=data.merit_quota,
        deadline=data.deadline,
        today=today,
        earlier_awards=earlier_awards(
            proposal.cluster_year, [item.unit_id for item in items], proposal=proposal
        ),
    )
    overridden = set(award_rules.overridden_keys(proposed))
    if proposed and len(overridden) == len(proposed):
        # The whole proposal's problems apply to every item: overriding them all lifts them.
        overridden.add(None)
    return ProposalChecks(
        items=[ItemCheck(item, names[item.pk], list(problems.get(item.pk, []))) for item in items],
        general=list(problems.get(None, [])),
        deadline=data.deadline,
        unresolved=award_rules.unresolved(problems, overridden),
    )


def check_editable(proposal: Proposal) -> None:
    if proposal.state not in EDITABLE_STATES:
        raise ClusterError(
            _("The proposal is %(state)s: it can no longer be changed.")
            % {"state": proposal.get_state_display().lower()}
        )


def _as_user(obj, user) -> None:
    """Record `user` as the author of the next history record, outside a request too."""
    if user is not None:
        obj._history_user = user


# --- Writes ------------------------------------------------------------------------


@transaction.atomic
def proposal_create(*, cluster_year: ClusterYear, user=None) -> tuple[Proposal, str]:
    """Open the term's proposal as a draft, pre-filled (see `prefill`); returns it and
    where the items came from."""
    if Proposal.objects.filter(cluster_year=cluster_year).exists():
        raise ClusterError(_("This term already has a proposal."))
    proposal = Proposal(cluster_year=cluster_year)
    _as_user(proposal, user)
    proposal.save()
    source, items = prefill(proposal_data(cluster_year))
    for entry in items:
        item = ProposalItem(
            proposal=proposal,
            unit_id=entry.unit_id,
            award_form=entry.award_form,
            score=entry.score,
            rank=entry.rank,
            vote_percent=entry.vote_percent,
        )
        _as_user(item, user)
        item.save()
    return proposal, source


@transaction.atomic
def proposal_item_add(
    *, proposal: Proposal, unit: Unit, award_form: AwardForm, user=None
) -> ProposalItem:
    """Propose a member for an award form; score, rank and vote share come from the
    ranking and the ballots."""
    check_editable(proposal)
    term = proposal.cluster_year
    if not Membership.objects.filter(cluster_year=term, unit=unit).exists():
        raise ClusterError(_("%(unit)s is not a member of the cluster.") % {"unit": unit.name})
    if proposal.items.filter(unit=unit, award_form=award_form).exists():
        raise ClusterError(
            _("%(unit)s is already proposed for %(form)s.")
            % {"unit": unit.name, "form": award_form.name}
        )
    data = proposal_data(term)
    row = data.ranking.by_unit().get(unit.pk)
    item = ProposalItem(
        proposal=proposal,
        unit=unit,
        award_form=award_form,
        score=row.result.final if row else None,
        rank=row.rank if row else None,
        vote_percent=data.ballots.vote_percent.get((award_form.pk, unit.pk)),
    )
    _as_user(item, user)
    item.save()
    return item


@transaction.atomic
def proposal_item_delete(*, item: ProposalItem, user=None) -> None:
    check_editable(item.proposal)
    _as_user(item, user)
    item.delete()


@transaction.atomic
def proposal_item_override(*, item: ProposalItem, user, reason: str) -> ProposalItem:
    """Provincial staff accept an item although a check fails, with a written reason that
    the item's history keeps; an empty reason withdraws the override."""
    proposal = item.proposal
    if proposal.state not in OVERRIDABLE_STATES:
        raise ClusterError(
            _("The proposal is %(state)s: its checks can no longer be overridden.")
            % {"state": proposal.get_state_display().lower()}
        )
    item.override_reason = reason.strip()
    _as_user(item, user)
    item.save(update_fields=["override_reason"])
    return item


@transaction.atomic
def proposal_submit(
    *,
    proposal: Proposal,
    user,
    number: str = "",
    today: datetime.date | None = None,
    when: datetime.datetime | None = None,
) -> Proposal:
    """Send the proposal to the province. Refused while it has no item or a problem
    that provincial staff have not overridden; the message lists them. `today` is the
    day the deadline is checked against and `when` the time recorded (both now by
    default)."""
    check_editable(proposal)
    items = list(proposal.items.select_related("award_form", "unit"))
    checks = proposal_checks(proposal, items, proposal_data(proposal.cluster_year), today=today)
    blocking = checks.blocking
    if blocking:
        reasons = " ".join(str(problem.message) for _name, problem in blocking)
        raise ClusterError(
            _("The proposal cannot be submitted until these checks pass: %(reasons)s")
            % {"reasons": reasons}
        )
    proposal.state = State.SUBMITTED
    proposal.submitted_at = when or timezone.now()
    proposal.submitted_by = user
    if number:
        proposal.number = number.strip()
    _as_user(proposal, user)
    proposal.save(update_fields=["state", "submitted_at", "submitted_by", "number"])
    return proposal


@transaction.atomic
def proposal_return(proposal: Proposal, user, reason: str) -> Proposal:
    """The province returns a submitted proposal for completion, saying why; the cluster
    may then edit and submit it again."""
    if proposal.state != State.SUBMITTED:
        raise ClusterError(_("Only a submitted proposal can be returned."))
    reason = (reason or "").strip()
    if not reason:
        raise ClusterError(_("Say why the proposal is returned."))
    proposal.state = State.RETURNED
    proposal.return_reason = reason
    _as_user(proposal, user)
    proposal.save(update_fields=["state", "return_reason"])
    notification_services.proposal_returned_notify(proposal=proposal)
    return proposal
