"""Demo documents: Cụm 3's 2022 paperwork issued, so that the downloads page, the issued
versions and the verification page show something. Idempotent."""

from clusters.models import AwardDecision, Ballot, ClusterYear, Meeting, Proposal, User

from . import services
from .kinds import get_kind

ILLUSTRATIVE = "(minh họa)"


def _issue_once(kind_code: str, source, user) -> None:
    kind = get_kind(kind_code)
    if services.current_version(kind, kind.key(source)) is None:
        services.issue(kind, source, user=user)


def load() -> None:
    term = ClusterYear.objects.filter(
        cluster__province__name="Đồng Tháp", cluster__number=3, year=2022
    ).first()
    if term is None:
        return
    if not term.signer_name:
        term.signer_name = f"Lãnh đạo UBND huyện Tân Hồng {ILLUSTRATIVE}"
        term.signer_position = "CHỦ TỊCH UBND HUYỆN TÂN HỒNG"
        term.secretary_name = term.secretary_name or f"Cán bộ thi đua huyện Tân Hồng {ILLUSTRATIVE}"
        term.save()
    head = User.objects.get(username="cumtruong")
    staff = User.objects.get(username="canbo")
    for meeting in Meeting.objects.filter(cluster_year=term).order_by("date", "pk"):
        if meeting.kind == Meeting.Kind.DELIBERATION:
            _issue_once("deliberation_minutes", meeting, head)
        elif meeting.kind in (Meeting.Kind.SIX_MONTH_REVIEW, Meeting.Kind.ANNUAL_REVIEW):
            _issue_once("review_minutes", meeting, head)
    for ballot in Ballot.objects.filter(meeting__cluster_year=term, valid__isnull=False):
        _issue_once("tally_minutes", ballot, head)
    proposal = Proposal.objects.filter(cluster_year=term).first()
    if proposal is not None:
        _issue_once("proposal_letter", proposal, head)
    for decision in AwardDecision.objects.filter(province=term.cluster.province, date__year=2023):
        _issue_once("award_decision", decision, staff)
