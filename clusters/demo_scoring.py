"""Demo scoring data: score sheets shaped like domain.md §3.3–3.4, rule sets, covenants,
periods and self, cross and agreed scores for every demo cluster year.

The scores are illustrative. They are generated from a fixed seed, except in the
annual period of Cụm thi đua số 3 in 2022, where two districts are made equal on the
final score (the core group separates them) and one district is vetoed, so that the
ranking page shows both rules at work.
"""

import random
from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from .models import (
    ClusterYear,
    Covenant,
    Criterion,
    Period,
    Province,
    RuleSet,
    Score,
    ScoreSheet,
    Target,
)
from .score_services import members_during, period_results_store

K = Criterion.Kind
Q, QL, G, PI = K.QUANTITATIVE, K.QUALITATIVE, K.GRADED, K.PER_ITEM
PARTY_GRADES = {
    "grades": [
        ["Hoàn thành xuất sắc nhiệm vụ", 40],
        ["Hoàn thành tốt nhiệm vụ", 30],
        ["Hoàn thành nhiệm vụ", 15],
        ["Không hoàn thành nhiệm vụ", 0],
    ]
}

# (code, text, kind, max points, params); a group's rows follow it.
LOCALITY_SHEET = [
    ("I", "Thực hiện nhiệm vụ phát triển kinh tế - xã hội, quốc phòng - an ninh", K.GROUP, 500, {}),
    ("1.1", "Thu ngân sách nhà nước trên địa bàn so dự toán", Q, 60, {}),
    ("1.2", "Giải ngân vốn đầu tư công", Q, 60, {"mode": "leader"}),
    ("1.3", "Xây dựng nông thôn mới / đô thị văn minh", Q, 50, {}),
    ("1.4", "Giảm tỷ lệ hộ nghèo so chỉ tiêu", Q, 40, {}),
    ("1.5", "Tỷ lệ bao phủ BHYT, BHXH tự nguyện", Q, 40, {}),
    ("1.6", "Giáo dục (trường đạt chuẩn, huy động trẻ)", Q, 40, {}),
    ("1.7", "Y tế, dân số", QL, 30, {}),
    ("1.8", "Văn hóa, gia đình văn hóa, thôn/tổ dân phố văn hóa", Q, 30, {}),
    ("1.9", "Đất đai, môi trường, thu gom rác thải", QL, 40, {}),
    ("1.10", "Quốc phòng: giao quân đạt 100 %, dân quân", Q, 50, {}),
    ("1.11", "An ninh trật tự: giảm tội phạm, tai nạn giao thông, tệ nạn", Q, 60,
     {"lower_is_better": True}),
    ("II", "Xây dựng chính quyền, cải cách hành chính, chuyển đổi số", K.GROUP, 200, {}),
    ("2.1", "Hồ sơ thủ tục hành chính đúng hạn, trực tuyến toàn trình", Q, 60, {}),
    ("2.2", "Chỉ số cải cách hành chính, mức độ hài lòng", Q, 40, {}),
    ("2.3", "Văn bản điện tử, ký số", Q, 40, {}),
    ("2.4", "Tiếp công dân, giải quyết khiếu nại, tố cáo đúng hạn", Q, 30, {}),
    ("2.5", "Phòng, chống tham nhũng, tiêu cực; thực hành tiết kiệm", QL, 30, {}),
    ("III", "Công tác thi đua, khen thưởng", K.GROUP, 200, {}),
    ("3.1", "Kế hoạch, phát động phong trào thường xuyên và chuyên đề; đăng ký thi đua", QL, 40,
     {}),
    ("3.2", "Sơ kết, tổng kết; khen thưởng kịp thời, đúng quy định", QL, 40, {}),
    ("3.3", "Phát hiện, nhân rộng gương điển hình tiên tiến, “người tốt, việc tốt”", PI, 40,
     {"points_per_item": 5, "cap": 40}),
    ("3.4", "Hoạt động Hội đồng Thi đua - Khen thưởng cấp cơ sở, Quỹ thi đua, khen thưởng", QL, 20,
     {}),
    ("3.5", "Chế độ báo cáo đúng hạn, đúng nội dung", QL, 30, {}),
    ("3.6", "Tham gia hoạt động cụm (dự họp, kiểm tra chéo, đăng cai)", PI, 30,
     {"points_per_item": 10, "cap": 30}),
    ("IV", "Xây dựng Đảng, Mặt trận, đoàn thể; đoàn kết nội bộ", K.GROUP, 100, {}),
    ("4.1", "Tổ chức đảng xếp loại", G, 40, PARTY_GRADES),
    ("4.2", "Mặt trận, đoàn thể xếp loại", G, 30,
     {"grades": [["Vững mạnh", 30], ["Khá", 20], ["Trung bình", 10]]}),
    ("4.3", "Đoàn kết nội bộ, không có cán bộ bị kỷ luật", QL, 30, {}),
    ("B.1", "Khen thưởng đột xuất của Thủ tướng Chính phủ, Chủ tịch UBND tỉnh (+10 mỗi lần)",
     K.BONUS, 20, {}),
    ("B.2", "Mô hình mới được tỉnh công nhận; dẫn đầu cụm ở chỉ tiêu chủ yếu; đăng cai hội nghị",
     K.BONUS, 30, {}),
    ("P.1", "Báo cáo trễ (−5/lần); vắng họp cụm không lý do (−10/lần)", K.PENALTY, 0, {}),
    ("P.2", "Lãnh đạo bị kỷ luật; khiếu kiện đông người; bị cấp trên phê bình bằng văn bản",
     K.PENALTY, 0, {}),
    ("V.1", "Tổ chức đảng không hoàn thành nhiệm vụ; cán bộ chủ chốt bị kỷ luật từ cảnh cáo",
     K.VETO, 0, {}),
    ("V.2", "Đang bị thanh tra, điều tra, khiếu nại chưa có kết luận", K.VETO, 0, {}),
]  # fmt: skip

BLOC_SHEET = [
    ("I", "Nhiệm vụ chuyên môn", K.GROUP, 50, {}),
    ("1", "Kết quả thực hiện chỉ tiêu, nhiệm vụ UBND tỉnh giao trong năm", Q, 25, {}),
    ("2", "Tham mưu văn bản quy phạm, đề án đúng tiến độ", QL, 10, {}),
    ("3", "Nhiệm vụ đột xuất do Chủ tịch UBND tỉnh giao", G, 10,
     {"grades": [["Tốt", 10], ["Khá", 7], ["Trung bình", 4]]}),
    ("4", "Giải ngân, thực hiện dự toán được giao", Q, 5, {}),
    ("II", "Cải cách hành chính, chuyển đổi số, kỷ luật, kỷ cương", K.GROUP, 20, {}),
    ("5", "Xếp hạng Chỉ số cải cách hành chính trong khối", Q, 8, {"mode": "leader"}),
    ("6", "Thủ tục hành chính đúng hạn, trực tuyến", Q, 6, {}),
    ("7", "Văn bản điện tử, ký số, hồ sơ công việc", Q, 3, {}),
    ("8", "Phòng, chống tham nhũng; tiếp dân; thực hành tiết kiệm", QL, 3, {}),
    ("III", "Công tác thi đua, khen thưởng", K.GROUP, 15, {}),
    ("9", "Kế hoạch, phát động, ký giao ước, hưởng ứng phong trào của tỉnh", QL, 4, {}),
    ("10", "Sơ kết, tổng kết; khen thưởng kịp thời, đúng quy định", QL, 4, {}),
    ("11", "Gương điển hình tiên tiến, người tốt việc tốt, tuyên truyền", PI, 4,
     {"points_per_item": 1, "cap": 4}),
    ("12", "Tham gia hoạt động của Khối; báo cáo đúng hạn", QL, 3, {}),
    ("IV", "Xây dựng tổ chức đảng, đoàn thể, văn hóa công sở", K.GROUP, 15, {}),
    ("13", "Tổ chức đảng hoàn thành xuất sắc / tốt nhiệm vụ", G, 6,
     {"grades": [["Hoàn thành xuất sắc nhiệm vụ", 6], ["Hoàn thành tốt nhiệm vụ", 4],
                 ["Hoàn thành nhiệm vụ", 0]]}),
    ("14", "Công đoàn, Đoàn Thanh niên, Hội Phụ nữ cơ sở vững mạnh", G, 4,
     {"grades": [["Vững mạnh", 4], ["Khá", 2], ["Trung bình", 0]]}),
    ("15", "Văn hóa công sở, đoàn kết nội bộ", QL, 5, {}),
    ("B", "Điểm thưởng: khen cấp Nhà nước, Thủ tướng (+3); sáng kiến, mô hình (+2); đăng cai (+1)",
     K.BONUS, 10, {}),
    ("P", "Điểm trừ: kỷ luật (−2, −5); chậm báo cáo (−0,5/lần); bị phê bình (−2); vi phạm (−3)",
     K.PENALTY, 0, {}),
    ("V", "Đang bị thanh tra, điều tra, khiếu nại chưa có kết luận", K.VETO, 0, {}),
]  # fmt: skip

BANDS = [["Xuất sắc", "95"], ["Tốt", "85"], ["Khá", "70"], ["Trung bình", "50"]]
TIE_BREAKS = ["core_group", "fewer_penalty", "more_bonus", "women_majority", "more_votes"]


def _sheet(province: Province, year: int, name: str, rows: list, scale: int) -> ScoreSheet:
    sheet, created = ScoreSheet.objects.get_or_create(
        province=province, year=year, name=name, defaults={"scale": scale}
    )
    if not created:
        return sheet
    group = None
    for position, (code, text, kind, max_points, params) in enumerate(rows):
        parent = None if kind == K.GROUP or code[0] in "BPV" else group
        criterion = Criterion.objects.create(
            sheet=sheet,
            parent=parent,
            code=code,
            text=text,
            kind=kind,
            max_points=max_points,
            params=params,
            position=position,
        )
        if kind == K.GROUP:
            group = criterion
    return sheet


def _ruleset(province: Province, year: int, bonus_cap: int) -> None:
    RuleSet.objects.get_or_create(
        province=province,
        year=year,
        defaults={
            "bands": BANDS,
            "eligibility_min_percent": 90,
            "tie_breaks": TIE_BREAKS,
            "core_group": "I",
            "bonus_cap": bonus_cap,
        },
    )


def _base_points(criterion: Criterion, rng: random.Random) -> Decimal:
    """A plausible score: most criteria near their maximum, some lower."""
    if criterion.kind in (K.BONUS, K.PENALTY, K.VETO):
        return Decimal(0)
    share = Decimal(rng.choice([100, 100, 100, 95, 90, 90, 85, 80, 70])) / 100
    return (criterion.max_points * share).quantize(Decimal("0.5"))


def _scores_for(period: Period, criteria: list[Criterion], units, rng, adjust=None) -> None:
    if Score.objects.filter(period=period).exists():
        return
    rows = []
    for unit in units:
        for criterion in criteria:
            agreed = _base_points(criterion, rng)
            if adjust:
                agreed = adjust(unit, criterion, agreed)
            self_points = min(criterion.max_points or agreed, agreed + rng.choice([0, 0, 1, 2]))
            cross = min(criterion.max_points or agreed, agreed + rng.choice([0, 0, 0, 1]))
            for stage, points in (
                (Score.Stage.SELF, self_points),
                (Score.Stage.CROSS, cross),
                (Score.Stage.AGREED, agreed),
            ):
                rows.append(
                    Score(
                        period=period,
                        unit=unit,
                        criterion=criterion,
                        stage=stage,
                        # A veto takes no points: its value 1 means it applies.
                        points=None if criterion.kind == K.VETO else points,
                        value=points if criterion.kind == K.VETO else None,
                    )
                )
    bulk_create_with_history(rows, Score)


def _showcase(unit, criterion, points):
    """Cụm 3, 2022: Tam Nông vetoed; Hồng Ngự and Thanh Bình equal on the final score,
    Hồng Ngự ahead on the core group I."""
    name, code = unit.name, criterion.code
    if name == "Huyện Tam Nông" and code == "V.2":
        return Decimal(1)
    fixed = {
        "Huyện Tân Hồng": {"1.1": 60, "1.2": 60, "2.1": 60, "B.1": 10},
        "Huyện Hồng Ngự": {"1.1": 60, "1.2": 60, "2.1": 50, "3.3": 35},
        "Huyện Thanh Bình": {"1.1": 50, "1.2": 60, "2.1": 60, "3.3": 35},
    }
    if name in fixed:
        if code in fixed[name]:
            return Decimal(fixed[name][code])
        return criterion.max_points if criterion.kind not in (K.BONUS, K.PENALTY) else Decimal(0)
    return points


def load(dong_thap: Province, tay_ninh: Province) -> None:
    locality = {
        year: _sheet(dong_thap, year, "Bảng điểm cụm huyện, thành phố", LOCALITY_SHEET, 1000)
        for year in (2022, 2023, 2024, 2025, 2026)
    }
    blocs = _sheet(tay_ninh, 2024, "Bảng điểm khối sở, ban, ngành", BLOC_SHEET, 100)
    for year in locality:
        _ruleset(dong_thap, year, bonus_cap=50)
    _ruleset(tay_ninh, 2024, bonus_cap=10)

    terms = ClusterYear.objects.filter(cluster__province__in=[dong_thap, tay_ninh]).select_related(
        "cluster"
    )
    for term in terms:
        sheet = blocs if term.cluster.province_id == tay_ninh.pk else locality[term.year]
        Covenant.objects.get_or_create(cluster_year=term, defaults={"sheet": sheet})
        criteria = [c for c in sheet.criteria.order_by("position") if c.kind != K.GROUP]
        showcase = term.cluster.name == "Cụm thi đua số 3" and term.year == 2022
        for kind in (Period.Kind.SIX_MONTH, Period.Kind.ANNUAL):
            # The six-month periods are closed; the annual ones are being scored, except
            # in the showcase term, whose cycle runs to the award decision (locked).
            closed = kind == Period.Kind.SIX_MONTH or showcase
            state = Period.State.LOCKED if closed else Period.State.SCORING
            period, _created = Period.objects.get_or_create(
                cluster_year=term, kind=kind, defaults={"state": state}
            )
            units = list(members_during(period))
            rng = random.Random(f"{term.pk}-{kind}")
            adjust = _showcase if showcase and kind == Period.Kind.ANNUAL else None
            _scores_for(period, criteria, units, rng, adjust)
        quantitative = [c for c in criteria if c.kind == K.QUANTITATIVE]
        covenant = term.covenant
        if not covenant.targets.exists():
            Target.objects.bulk_create(
                Target(covenant=covenant, unit=unit, criterion=c, target=100, unit_of_measure="%")
                for unit in members_during(period)
                for c in quantitative
            )
    # The closed periods were created locked, so their results are stored here, as
    # locking them through score_services.period_move would have.
    period_results_store(
        Period.objects.filter(
            cluster_year__in=terms, state=Period.State.LOCKED, result__isnull=True
        ).select_related("cluster_year__cluster", "cluster_year__covenant__sheet")
    )
