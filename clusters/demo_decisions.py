"""Demo data for the province's side: the appraisal of Cụm thi đua số 3's proposal for
2022 and the two award decisions that follow it, early in 2023.

The proposal itself (Tân Hồng for the provincial flag, Hồng Ngự for the certificate of
merit) comes from the cluster side's demo; without it this module does nothing. The
decision numbers, dates and signer are illustrative, and so are the cash multiples
before 1 July 2025 that 2023 decisions need (migration 0004 seeds NĐ 152/2025 only):
they repeat the NĐ 152/2025 values under NĐ 91/2017 and must be checked against it.

Loading twice changes nothing: every object is looked up by its natural key first.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from . import appraisal_services, decision_services
from .models import AwardDecision, AwardForm, CashMultiple, Proposal, ProposalItem, Province

ILLUSTRATIVE_BASIS = "Nghị định 91/2017/NĐ-CP (minh họa, cần kiểm tra)"
ILLUSTRATIVE_FROM = datetime.date(2018, 1, 1)
# The same multiples as NĐ 152/2025 (migration 0004), by award form code.
ILLUSTRATIVE_MULTIPLES = {
    "co-thi-dua-tinh": Decimal("8.0"),
    "bang-khen-tinh": Decimal("3.0"),
    "co-thi-dua-chinh-phu": Decimal("12.0"),
    "tap-the-lao-dong-xuat-sac": Decimal("1.5"),
}
CLUSTER_NAME = "Cụm thi đua số 3"
YEAR = 2022
DECISION_DAY = datetime.date(2023, 2, 20)
# (award form code, decision number); illustrative numbers.
DECISIONS = [("co-thi-dua-tinh", "215/QĐ-UBND"), ("bang-khen-tinh", "216/QĐ-UBND")]
SIGNER = {
    "authority_prefix": AwardDecision.Prefix.KT,
    "signer_name": "Nguyễn Văn A",
    "signer_position": "PHÓ CHỦ TỊCH",
    "note": "Số, ngày quyết định và người ký là minh họa (dữ liệu demo).",
}


def _illustrative_multiples() -> None:
    for award_form in AwardForm.objects.filter(code__in=ILLUSTRATIVE_MULTIPLES):
        CashMultiple.objects.get_or_create(
            award_form=award_form,
            valid_from=ILLUSTRATIVE_FROM,
            defaults={
                "multiple": ILLUSTRATIVE_MULTIPLES[award_form.code],
                "legal_basis": ILLUSTRATIVE_BASIS,
            },
        )


@transaction.atomic
def load(dong_thap: Province | None = None) -> None:
    """Appraise the demo proposal (every item accepted) and record its decisions."""
    _illustrative_multiples()
    proposals = Proposal.objects.filter(
        cluster_year__cluster__name=CLUSTER_NAME,
        cluster_year__year=YEAR,
        state__in=appraisal_services.APPRAISABLE_STATES,
    ).select_related("cluster_year__cluster__province")
    if dong_thap is not None:
        proposals = proposals.filter(cluster_year__cluster__province=dong_thap)
    else:
        proposals = proposals.filter(cluster_year__cluster__province__name="Đồng Tháp")
    proposal = proposals.first()
    if proposal is None:
        return
    province = proposal.cluster_year.cluster.province

    for item in proposal.items.filter(appraisal=ProposalItem.Appraisal.PENDING).select_related(
        "award_form"
    ):
        appraisal_services.item_appraise(item=item, appraisal=ProposalItem.Appraisal.ACCEPTED)
    proposal.refresh_from_db()
    if proposal.state != Proposal.State.PROCESSED:
        return

    # A decision cannot precede the proposal it answers.
    day = DECISION_DAY
    if proposal.submitted_at:
        day = max(day, timezone.localdate(proposal.submitted_at) + datetime.timedelta(days=1))
    candidates = list(decision_services.candidate_items(province, YEAR))
    for code, number in DECISIONS:
        if AwardDecision.objects.filter(province=province, number=number).exists():
            continue
        award_form = AwardForm.objects.filter(code=code).first()
        items = [
            item
            for item in candidates
            if item.proposal_id == proposal.pk
            and award_form is not None
            and appraisal_services.awarded_form(item) == award_form.pk
        ]
        if not items:
            continue
        decision = AwardDecision(
            province=province, number=number, date=day, award_form=award_form, **SIGNER
        )
        decision_services.decision_save(decision=decision, year=YEAR, items=items)
