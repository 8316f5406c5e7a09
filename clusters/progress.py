"""Where every cluster and bloc of a province stands in the annual cycle of a year.

For each term of the year, six steps (domain.md §3.1): covenant signed, six-month
review held, annual scores agreed, ballot held, proposal submitted, decision recorded.
Each step says when it was done and, where there is one, its deadline: the RuleSet's
agreed-score and proposal deadlines, and for the six-month review 31 July of the year
(practice: June–July, domain.md §2.6), since the RuleSet has no field for it.

Scores are agreed at a meeting of the cluster (the annual review or the deliberation),
so the date of the earliest such meeting is the day they were agreed; without one, the
day the annual period was first recorded as agreed in the system.

`province_progress(province, year, today)` reads everything in nine queries, whatever
the number of clusters and members.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import (
    AwardRecipient,
    Ballot,
    ClusterYear,
    Meeting,
    Membership,
    Period,
    Proposal,
    Province,
    RuleSet,
)

# The six-month review is due by this day of the year when no rule says otherwise.
SIX_MONTH_REVIEW_DUE = (7, 31)

STEPS = [
    ("covenant", _("Covenant signed")),
    ("six_month", _("Six-month review held")),
    ("scores", _("Scores agreed")),
    ("ballot", _("Ballot held")),
    ("proposal", _("Proposal submitted")),
    ("decision", _("Decision recorded")),
]


@dataclass
class Step:
    key: str
    done: bool = False
    done_on: datetime.date | None = None
    deadline: datetime.date | None = None
    note: str = ""
    today: datetime.date | None = None

    @property
    def status(self) -> str:
        """done, late (done after the deadline), missed (not done, deadline passed) or
        pending."""
        if self.done:
            if self.deadline and self.done_on and self.done_on > self.deadline:
                return "late"
            return "done"
        if self.deadline and self.today and self.today > self.deadline:
            return "missed"
        return "pending"


@dataclass
class TermProgress:
    term: ClusterYear
    steps: list[Step] = field(default_factory=list)
    annual_period_id: int | None = None
    proposal_id: int | None = None
    proposal_state: str = ""
    members: int = 0
    awarded: int = 0

    @property
    def done_count(self) -> int:
        return sum(1 for step in self.steps if step.done)


def _local(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment else None


def province_progress(
    province: Province, year: int, today: datetime.date | None = None
) -> list[TermProgress]:
    today = today or timezone.localdate()
    terms = list(
        ClusterYear.objects.filter(cluster__province=province, year=year)
        .select_related("cluster", "covenant")
        .order_by("cluster__kind", "cluster__sort_key", "cluster__pk")
    )
    if not terms:
        return []
    term_ids = [term.pk for term in terms]
    rules = RuleSet.objects.filter(province=province, year=year).first()

    meetings = {
        (row["cluster_year_id"], row["kind"]): row["first"]
        for row in Meeting.objects.filter(
            cluster_year_id__in=term_ids,
            kind__in=[
                Meeting.Kind.COVENANT_SIGNING,
                Meeting.Kind.SIX_MONTH_REVIEW,
                Meeting.Kind.ANNUAL_REVIEW,
                Meeting.Kind.DELIBERATION,
            ],
        )
        .values("cluster_year_id", "kind")
        .annotate(first=Min("date"))
        .order_by()
    }
    periods = {
        row["cluster_year_id"]: row
        for row in Period.objects.filter(
            cluster_year_id__in=term_ids, kind=Period.Kind.ANNUAL
        ).values("id", "cluster_year_id", "state")
    }
    agreed_states = [Period.State.AGREED, Period.State.LOCKED]
    # When the scores were agreed: the first historical record in an agreed state.
    agreed_on = {
        row["id"]: row["first"]
        for row in Period.history.filter(
            id__in=[p["id"] for p in periods.values()], state__in=agreed_states
        )
        .values("id")
        .annotate(first=Min("history_date"))
        .order_by()
    }
    ballots = {
        row["meeting__cluster_year_id"]: row["first"]
        for row in Ballot.objects.filter(
            meeting__cluster_year_id__in=term_ids,
            meeting__kind=Meeting.Kind.DELIBERATION,
            valid__isnull=False,
        )
        .values("meeting__cluster_year_id")
        .annotate(first=Min("meeting__date"))
        .order_by()
    }
    proposals = {
        row["cluster_year_id"]: row
        for row in Proposal.objects.filter(cluster_year_id__in=term_ids).values(
            "id", "cluster_year_id", "state", "submitted_at"
        )
    }
    members: dict[int, set[int]] = {}
    for term_id, unit_id in Membership.objects.filter(cluster_year_id__in=term_ids).values_list(
        "cluster_year_id", "unit_id"
    ):
        members.setdefault(term_id, set()).add(unit_id)
    awards = {
        row["unit_id"]: row["first"]
        for row in AwardRecipient.objects.filter(
            year=year,
            unit_id__in=Membership.objects.filter(cluster_year_id__in=term_ids).values("unit_id"),
        )
        .values("unit_id")
        .annotate(first=Min("decision__date"))
        .order_by()
    }

    six_month_due = datetime.date(year, *SIX_MONTH_REVIEW_DUE)
    rows = []
    for term in terms:
        row = TermProgress(term)
        covenant = getattr(term, "covenant", None)
        signed_on = covenant.signed_on if covenant else None
        signing = meetings.get((term.pk, Meeting.Kind.COVENANT_SIGNING))
        signed = min(d for d in (signed_on, signing) if d) if (signed_on or signing) else None
        row.steps.append(Step("covenant", bool(signed), signed))

        review = meetings.get((term.pk, Meeting.Kind.SIX_MONTH_REVIEW))
        row.steps.append(Step("six_month", bool(review), review, six_month_due))

        period = periods.get(term.pk)
        agreed = bool(period and period["state"] in agreed_states)
        row.annual_period_id = period["id"] if period else None
        agreed_day = None
        if agreed:
            meeting_days = [
                meetings.get((term.pk, kind))
                for kind in (Meeting.Kind.ANNUAL_REVIEW, Meeting.Kind.DELIBERATION)
            ]
            agreed_day = min((d for d in meeting_days if d), default=None) or _local(
                agreed_on.get(period["id"])
            )
        row.steps.append(
            Step("scores", agreed, agreed_day, rules.agreed_score_deadline if rules else None)
        )

        ballot = ballots.get(term.pk)
        row.steps.append(Step("ballot", bool(ballot), ballot))

        proposal = proposals.get(term.pk)
        sent = bool(
            proposal and proposal["state"] in (Proposal.State.SUBMITTED, Proposal.State.PROCESSED)
        )
        note = ""
        if proposal:
            row.proposal_id = proposal["id"]
            row.proposal_state = proposal["state"]
            if proposal["state"] == Proposal.State.RETURNED:
                note = str(_("returned for completion"))
        row.steps.append(
            Step(
                "proposal",
                sent,
                _local(proposal["submitted_at"]) if sent else None,
                rules.proposal_deadline if rules else None,
                note,
            )
        )

        unit_ids = members.get(term.pk, set())
        award_days = [awards[u] for u in unit_ids if u in awards]
        row.members = len(unit_ids)
        row.awarded = len(award_days)
        row.steps.append(Step("decision", bool(award_days), min(award_days, default=None)))
        for step in row.steps:
            step.today = today
        rows.append(row)
    return rows
