"""Rows for the API tests, made directly with valid defaults (the services that check the
rules have their own tests); `add_*` functions can be called again to grow the data."""

import datetime
import hashlib
import itertools
from decimal import Decimal

from django.utils import timezone

from clusters import services
from clusters.models import (
    Attendance,
    AwardDecision,
    AwardForm,
    AwardRecipient,
    ClusterYear,
    Covenant,
    Criterion,
    Meeting,
    MeetingCommendation,
    MeetingSection,
    Period,
    Score,
    ScoreSheet,
    Unit,
)
from clusters.tests.factories import make_cluster, make_cluster_year, make_unit
from reports.models import Document, Kind

_counter = itertools.count(1)
MERGER_DAY = datetime.date(2025, 7, 1)


def add_merger(province, names=("Xã An Bình", "Xã An Lạc"), merged="Xã An Phú") -> Unit:
    """Two communes merged into a third on 01/07/2025, one of them renamed before."""
    before = [
        make_unit(province, kind=Unit.Kind.COMMUNE, name=name, valid_from=datetime.date(2000, 1, 1))
        for name in names
    ]
    services.unit_rename(
        unit=before[0],
        new_name=f"{names[0]} Mới",
        effective_date=datetime.date(2020, 1, 1),
        legal_basis="Nghị quyết 1/NQ-UBTVQH",
    )
    after = make_unit(province, kind=Unit.Kind.COMMUNE, name=merged)
    services.reorganisation_record(
        kind="merge",
        predecessors=before,
        successors=[after],
        effective_date=MERGER_DAY,
        legal_basis="Nghị quyết 1666/NQ-UBTVQH15",
    )
    return after


def add_ranked_period(term: ClusterYear, points: dict[Unit, int]) -> Period:
    """The term's annual period on a 100-point sheet of one criterion, with agreed points."""
    sheet = ScoreSheet.objects.create(
        province=term.cluster.province, year=term.year, name=f"Bảng {next(_counter)}", scale=100
    )
    group = Criterion.objects.create(
        sheet=sheet, code="I", text="Nhóm I", kind=Criterion.Kind.GROUP, max_points=100
    )
    criterion = Criterion.objects.create(
        sheet=sheet,
        parent=group,
        code="1.1",
        text="Tiêu chí 1.1",
        kind=Criterion.Kind.QUALITATIVE,
        max_points=100,
        position=1,
    )
    Covenant.objects.create(cluster_year=term, sheet=sheet)
    period = Period.objects.create(
        cluster_year=term, kind=Period.Kind.ANNUAL, state=Period.State.SCORING
    )
    for unit, value in points.items():
        Score.objects.create(
            period=period,
            unit=unit,
            criterion=criterion,
            stage=Score.Stage.AGREED,
            points=Decimal(value),
        )
    return period


def add_meeting(term: ClusterYear, units: list[Unit], day=datetime.date(2022, 12, 1)) -> Meeting:
    """An annual review hosted by the first unit, with every unit present, one section and
    one commendation."""
    meeting = Meeting.objects.create(
        cluster_year=term,
        kind=Meeting.Kind.ANNUAL_REVIEW,
        date=day,
        venue="Hội trường UBND",
        host_unit=units[0],
        chair_name="Nguyễn Văn A",
    )
    for unit in units:
        Attendance.objects.create(meeting=meeting, unit=unit, delegates="Trần Thị B, Phó Chủ tịch")
    MeetingSection.objects.create(
        meeting=meeting, kind=MeetingSection.Kind.CONCLUSIONS, title="Kết luận", body="Thống nhất."
    )
    MeetingCommendation.objects.create(
        meeting=meeting,
        recipient_name=units[0].name,
        recipient_unit=units[0],
        collective=True,
        form="Giấy khen",
        issuer="Chủ tịch UBND huyện",
    )
    return meeting


def add_decision(province, units: list[Unit], *, year=2022, amount=Decimal("18720000")):
    """A flag decision of 15/02 of the next year awarding `units` for `year`."""
    number = next(_counter)
    decision = AwardDecision.objects.create(
        province=province,
        number=f"{number}/QĐ-UBND",
        date=datetime.date(year + 1, 2, 15),
        award_form=AwardForm.objects.get(code="co-thi-dua-tinh"),
        authority_prefix=AwardDecision.Prefix.KT,
        signer_name="Nguyễn Văn A",
        signer_position="PHÓ CHỦ TỊCH",
        base_salary=Decimal("2340000"),
        multiple=Decimal("8.00"),
    )
    for unit in units:
        AwardRecipient.objects.create(
            decision=decision, unit=unit, year=year, citation="Đã có thành tích", amount=amount
        )
    return decision


def add_document(province, user, *, term: ClusterYear | None = None, replaces=None) -> Document:
    """An issued document of the province, or of the term's cluster when one is given."""
    number = next(_counter)
    pdf = f"%PDF-1.7 document {number}".encode()
    return Document.objects.create(
        kind=Kind.REVIEW_MINUTES if term else Kind.LEADERS_REPORT,
        province=province,
        cluster_year=term,
        source_key=f"test-{number}",
        title=f"Biên bản số {number}",
        series=f"series-{term.pk if term else 'province'}",
        year=2022,
        number=number,
        number_text=f"{number:02d}/BB-CTĐ",
        version=replaces.version + 1 if replaces else 1,
        replaces=replaces,
        issued_at=timezone.now(),
        issued_by=user,
        snapshot={},
        pdf=f"documents/2022/{number}.pdf",
        sha256=hashlib.sha256(pdf).hexdigest(),
        code=f"TEST-{number:04d}",
    )


def add_cluster(province, members: int = 2, years=(2021, 2022)):
    """A cluster with a term per year, each with `members` new units and a head."""
    cluster = make_cluster(province)
    units = [make_unit(province) for _ in range(members)]
    for year in years:
        make_cluster_year(cluster, year, members=units, head_unit=units[0])
    return cluster
