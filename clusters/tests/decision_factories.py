"""Plain factories for proposals, appraisals and decisions, with valid defaults."""

import datetime
from decimal import Decimal

from django.utils import timezone

from clusters import decision_services
from clusters.models import (
    AwardDecision,
    AwardForm,
    CashMultiple,
    ClusterYear,
    Proposal,
    ProposalItem,
    Unit,
)

FLAG = "co-thi-dua-tinh"
MERIT = "bang-khen-tinh"
GOVERNMENT_FLAG = "co-thi-dua-chinh-phu"
EXCELLENT = "tap-the-lao-dong-xuat-sac"
# The multiples of NĐ 152/2025, as migration 0004 seeds them from 01/07/2025.
MULTIPLES = {FLAG: "8.0", MERIT: "3.0", GOVERNMENT_FLAG: "12.0", EXCELLENT: "1.5"}


def award_form(code: str) -> AwardForm:
    return AwardForm.objects.get(code=code)


def add_multiples(valid_from: datetime.date, multiples: dict[str, str] | None = None) -> None:
    """Cash multiples from `valid_from` (test data: the seeded ones start on 01/07/2025)."""
    for code, multiple in (multiples or MULTIPLES).items():
        CashMultiple.objects.create(
            award_form=award_form(code),
            valid_from=valid_from,
            multiple=Decimal(multiple),
            legal_basis="test",
        )


def make_proposal(
    term: ClusterYear,
    items: list[tuple[Unit, str]],
    *,
    state: str = Proposal.State.SUBMITTED,
    submitted_on: datetime.date = datetime.date(2022, 12, 5),
) -> Proposal:
    """A proposal of `term` with one item per (unit, award form code), ranked in order."""
    submitted_at = None
    if state != Proposal.State.DRAFT:
        submitted_at = timezone.make_aware(
            datetime.datetime.combine(submitted_on, datetime.time(9))
        )
    proposal = Proposal.objects.create(
        cluster_year=term, state=state, number="05/TTr-CTĐ3", submitted_at=submitted_at
    )
    for rank, (unit, code) in enumerate(items, start=1):
        ProposalItem.objects.create(
            proposal=proposal,
            unit=unit,
            award_form=award_form(code),
            score=Decimal(1000 - 10 * rank),
            rank=rank,
            vote_percent=Decimal("75.00"),
        )
    return proposal


def accept_all(proposal: Proposal) -> Proposal:
    """Every item accepted and the proposal processed, as the appraisal leaves it."""
    proposal.items.update(appraisal=ProposalItem.Appraisal.ACCEPTED)
    proposal.state = Proposal.State.PROCESSED
    proposal.save(update_fields=["state"])
    return proposal


def make_decision(
    province,
    *,
    number: str = "215/QĐ-UBND",
    date: datetime.date = datetime.date(2023, 2, 15),
    code: str = FLAG,
    year: int = 2022,
    items=(),
    units=(),
) -> AwardDecision:
    decision = AwardDecision(
        province=province,
        number=number,
        date=date,
        award_form=award_form(code),
        authority_prefix=AwardDecision.Prefix.KT,
        signer_name="Nguyễn Văn A",
        signer_position="PHÓ CHỦ TỊCH",
    )
    return decision_services.decision_save(
        decision=decision, year=year, items=list(items), units=list(units)
    )
