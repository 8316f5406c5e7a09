"""Fill the configured database with one synthetic province for the benchmark.

    python bench/generate.py --clusters 40 --units 600 --years 10

The province ("Tỉnh Benchmark" unless --province-name says otherwise) is deleted and
created again, so the script can be rerun. Units, clusters, terms and memberships are
bulk-created with one "created" history record each; the 2025 renamings and
reorganisations go through the real services, so they leave the same rows and history
as a user would. Users: bench_staff (provincial staff), bench_leader, and one
bench_secretary_NN per cluster for the latest year, all with the password bench12345.

Scoring, for the latest year: one 1,000-point score sheet of 4 groups and 60 scorable
criteria, the year's rule set, and for every cluster year a covenant adopting the sheet,
targets, the six-month (locked) and annual (scoring) periods, ring cross-assignments,
submissions, and self, cross and agreed scores for every member and criterion. These
are plain bulk inserts without history rows, except the sheet, its criteria, the rule
set, covenants and periods, whose pages show their history.

Awards, for the latest year: for every cluster year a six-month review, an annual
review and a deliberation with the attendance of every member, sections and
commendations; a flag ballot and a certificate-of-merit ballot with all members as
candidates, tallied consistently (award_rules finds nothing to refuse); a proposal of
the units elected, submitted; for half of the clusters every item accepted and the
chairman's two decisions with their recipients. The measured (biggest) term's proposal
is returned for completion instead, which keeps its ballots open. And 20 movements and
300 exemplary models across the province. All with one "created" history record each.
"""

import argparse
import datetime
import itertools
import os
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emulation.settings")
# DEBUG=1 lets the settings load without a SECRET_KEY; nothing is served here.
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402
from simple_history.models import HistoricalRecords  # noqa: E402
from simple_history.utils import bulk_create_with_history  # noqa: E402

from clusters import award_rules, decision_services, page_cache, scoring, services  # noqa: E402
from clusters.models import (  # noqa: E402
    Attendance,
    AwardDecision,
    AwardForm,
    AwardRecipient,
    Ballot,
    BallotCandidate,
    Cluster,
    ClusterYear,
    Covenant,
    Criterion,
    CrossAssignment,
    Evidence,
    ExemplaryModel,
    Meeting,
    MeetingCommendation,
    MeetingSection,
    Membership,
    Movement,
    Period,
    Proposal,
    ProposalItem,
    Province,
    RoleAssignment,
    RuleSet,
    Score,
    ScoreSheet,
    Submission,
    Target,
    Unit,
    UnitName,
    UnitSuccession,
    User,
)
from clusters.ranking import province_year_rankings  # noqa: E402
from clusters.score_services import members_during, period_results_store  # noqa: E402

# The snapshots of a movement's participating clusters that its history keeps.
MovementClusterHistory = apps.get_model("clusters", "HistoricalMovement_clusters")

PASSWORD = "bench12345"
LAST_YEAR = 2026
Role = RoleAssignment.Role
Kind = Unit.Kind

# The 2025 events, in the order they took effect.
RENAME_DATE = datetime.date(2025, 2, 1)
DEPARTMENT_MERGE_DATE = datetime.date(2025, 3, 1)
COMMUNE_MERGE_DATE = datetime.date(2025, 7, 1)

# Two-syllable place names are made of these; "Tân" is frequent, as in the Mekong delta.
FIRST_SYLLABLES = (
    "An Bình Tân Phú Long Mỹ Hòa Thạnh Phước Vĩnh Thanh Hưng Định Đông Tây Nam Bắc Hiệp "
    "Thới Hội Tường Quới Khánh Lộc Thuận Trung Đức Nhơn Lợi Gia Hải Xuân Cẩm Quảng Đại "
    "Sơn Thái Hồng Kim Ngọc"
).split()
SECOND_SYLLABLES = (
    "An Bình Hòa Hưng Lợi Lộc Phú Phước Thạnh Thành Thuận Tiến Trung Hiệp Hội Long Mỹ "
    "Đông Tây Nam Bắc Hồng Quới Sơn Điền Khánh Tân Hải Định Xuân"
).split()

FAMILY_NAMES = "Nguyễn Trần Lê Phạm Huỳnh Hoàng Võ Phan Đặng Bùi Đỗ Hồ Ngô Dương Lý".split()
MIDDLE_NAMES = "Văn Thị Minh Thanh Ngọc Hữu Quốc Thành Hoài Kim".split()
GIVEN_NAMES = (
    "An Bình Cường Dũng Giang Hà Hải Hạnh Hùng Lan Linh Long Mai Nam Phong Phúc Quang "
    "Tâm Thảo Trang Tuấn Vy Khoa Nhung Sơn"
).split()

# Provincial departments, agencies and organisations, as (kind, name, short name).
# The first five departments are reorganised in 2025 as the 2025 reform did.
AGENCIES = [
    (Kind.DEPARTMENT, "Sở Kế hoạch và Đầu tư", "SKHĐT"),
    (Kind.DEPARTMENT, "Sở Giao thông vận tải", "SGTVT"),
    (Kind.DEPARTMENT, "Sở Tài nguyên và Môi trường", "STNMT"),
    (Kind.DEPARTMENT, "Sở Nông nghiệp và Phát triển nông thôn", "SNNPTNT"),
    (Kind.DEPARTMENT, "Sở Lao động - Thương binh và Xã hội", "SLĐTBXH"),
    (Kind.DEPARTMENT, "Sở Tài chính", "STC"),
    (Kind.DEPARTMENT, "Sở Xây dựng", "SXD"),
    (Kind.DEPARTMENT, "Sở Nội vụ", "SNV"),
    (Kind.DEPARTMENT, "Sở Y tế", "SYT"),
    (Kind.DEPARTMENT, "Sở Nông nghiệp và Môi trường", "SNNMT"),
    (Kind.DEPARTMENT, "Sở Công Thương", "SCT"),
    (Kind.DEPARTMENT, "Sở Giáo dục và Đào tạo", "SGDĐT"),
    (Kind.DEPARTMENT, "Sở Tư pháp", "STP"),
    (Kind.DEPARTMENT, "Sở Văn hóa, Thể thao và Du lịch", "SVHTTDL"),
    (Kind.DEPARTMENT, "Sở Khoa học và Công nghệ", "SKHCN"),
    (Kind.DEPARTMENT, "Sở Dân tộc và Tôn giáo", "SDTTG"),
    (Kind.AGENCY, "Thanh tra tỉnh", "TTT"),
    (Kind.AGENCY, "Văn phòng Ủy ban nhân dân tỉnh", "VP UBND"),
    (Kind.AGENCY, "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh", "VP ĐĐBQH"),
    (Kind.AGENCY, "Ban Quản lý các khu công nghiệp", "BQL KCN"),
    (Kind.MASS_ORGANISATION, "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "UBMTTQ"),
    (Kind.MASS_ORGANISATION, "Hội Liên hiệp Phụ nữ tỉnh", "HLHPN"),
    (Kind.MASS_ORGANISATION, "Tỉnh đoàn", "TĐ"),
    (Kind.MASS_ORGANISATION, "Hội Nông dân tỉnh", "HND"),
    (Kind.MASS_ORGANISATION, "Hội Cựu chiến binh tỉnh", "HCCB"),
    (Kind.MASS_ORGANISATION, "Liên đoàn Lao động tỉnh", "LĐLĐ"),
    (Kind.PUBLIC_SERVICE, "Đài Phát thanh và Truyền hình tỉnh", "PTTH"),
    (Kind.PUBLIC_SERVICE, "Bệnh viện Đa khoa tỉnh", "BVĐK"),
    (Kind.PUBLIC_SERVICE, "Trường Cao đẳng Y tế", "CĐYT"),
    (Kind.PUBLIC_SERVICE, "Báo tỉnh", ""),
    (Kind.ENTERPRISE, "Công ty TNHH MTV Xổ số kiến thiết", "XSKT"),
    (Kind.ENTERPRISE, "Công ty Cổ phần Cấp nước", ""),
    (Kind.ENTERPRISE, "Công ty Cổ phần Môi trường đô thị", ""),
    (Kind.ENTERPRISE, "Công ty Cổ phần Phà", ""),
]
# (kind, predecessors, successors, legal basis)
DEPARTMENT_REORGANISATIONS = [
    (
        UnitSuccession.Kind.ABSORB,
        ["Sở Kế hoạch và Đầu tư"],
        ["Sở Tài chính"],
        "Quyết định số 412/QĐ-UBND ngày 25/02/2025",
    ),
    (
        UnitSuccession.Kind.ABSORB,
        ["Sở Giao thông vận tải"],
        ["Sở Xây dựng"],
        "Quyết định số 413/QĐ-UBND ngày 25/02/2025",
    ),
    (
        UnitSuccession.Kind.MERGE,
        ["Sở Tài nguyên và Môi trường", "Sở Nông nghiệp và Phát triển nông thôn"],
        ["Sở Nông nghiệp và Môi trường"],
        "Quyết định số 414/QĐ-UBND ngày 25/02/2025",
    ),
    (
        UnitSuccession.Kind.SPLIT,
        ["Sở Lao động - Thương binh và Xã hội"],
        ["Sở Nội vụ", "Sở Y tế"],
        "Quyết định số 415/QĐ-UBND ngày 25/02/2025",
    ),
]
NEW_DEPARTMENTS = {"Sở Nông nghiệp và Môi trường"}

# A bloc is named after the kind of most of its members.
BLOC_LABELS = {
    Kind.DEPARTMENT: "các sở, ban, ngành",
    Kind.AGENCY: "các sở, ban, ngành",
    Kind.MASS_ORGANISATION: "Mặt trận và các đoàn thể",
    Kind.PUBLIC_SERVICE: "các đơn vị sự nghiệp",
    Kind.ENTERPRISE: "các doanh nghiệp",
    Kind.SCHOOL: "các trường trung học phổ thông",
}

# The latest year's score sheet: 1,000 points in four groups, 60 scorable criteria.
# (code, text, kind, max points, params, unit of measure); a group's criteria follow it,
# and the bonus, penalty and veto criteria (codes B, P, V) stand outside the groups.
CK = Criterion.Kind
QN, QL, GR, PI = CK.QUANTITATIVE, CK.QUALITATIVE, CK.GRADED, CK.PER_ITEM
LEADER = {"mode": "leader"}
LOWER = {"lower_is_better": True}
PARTY_GRADES = [
    ["Hoàn thành xuất sắc nhiệm vụ", 20],
    ["Hoàn thành tốt nhiệm vụ", 15],
    ["Hoàn thành nhiệm vụ", 8],
    ["Không hoàn thành nhiệm vụ", 0],
]
SHEET_NAME = "Bảng điểm thi đua cụm xã, phường"
SHEET = [
    ("I", "Thực hiện nhiệm vụ phát triển kinh tế - xã hội, quốc phòng - an ninh", CK.GROUP, 500),
    ("1.1", "Thu ngân sách nhà nước trên địa bàn so dự toán", QN, 30, {}, "%"),
    ("1.2", "Giải ngân vốn đầu tư công được giao", QN, 30, LEADER, "%"),
    ("1.3", "Tốc độ tăng giá trị sản xuất nông nghiệp", QN, 25, {}, "%"),
    ("1.4", "Giá trị sản xuất công nghiệp, tiểu thủ công nghiệp", QN, 25, {}, "tỷ đồng"),
    ("1.5", "Doanh nghiệp, hợp tác xã thành lập mới", QN, 25, {}, "doanh nghiệp"),
    ("1.6", "Xây dựng nông thôn mới, đô thị văn minh", QN, 25, {}, "tiêu chí"),
    ("1.7", "Tỷ lệ hộ nghèo cuối năm", QN, 25, LOWER, "%"),
    ("1.8", "Tạo việc làm mới, đào tạo nghề cho lao động nông thôn", QN, 25, {}, "lao động"),
    ("1.9", "Tỷ lệ dân số tham gia bảo hiểm y tế", QN, 20, {}, "%"),
    ("1.10", "Người tham gia bảo hiểm xã hội tự nguyện", QN, 20, {}, "người"),
    ("1.11", "Huy động trẻ đến trường; trường đạt chuẩn quốc gia", QN, 20, {}, "%"),
    ("1.12", "Y tế cơ sở, tiêm chủng mở rộng đạt yêu cầu", QL, 20, {}, ""),
    ("1.13", "Dân số, kế hoạch hóa gia đình", QN, 20, {}, "%"),
    ("1.14", "Gia đình văn hóa, khu dân cư văn hóa", QN, 20, {}, "%"),
    ("1.15", "Quản lý đất đai, trật tự xây dựng, không để lấn chiếm", QL, 25, {}, ""),
    ("1.16", "Thu gom, xử lý rác thải sinh hoạt; nước sạch nông thôn", QN, 25, {}, "%"),
    ("1.17", "Giao quân đạt 100 % chỉ tiêu", QL, 20, {}, ""),
    ("1.18", "Xây dựng lực lượng dân quân; diễn tập chiến đấu phòng thủ", QL, 20, {}, ""),
    ("1.19", "Tội phạm về trật tự xã hội", QN, 20, LOWER, "vụ"),
    ("1.20", "Tai nạn giao thông (số vụ)", QN, 20, LOWER, "vụ"),
    ("1.21", "Phòng, chống thiên tai, dịch bệnh cây trồng, vật nuôi", QL, 20, {}, ""),
    ("1.22", "Chuyển đổi cơ cấu cây trồng, vật nuôi", QN, 20, {"no_target": "full"}, "ha"),
    ("II", "Xây dựng chính quyền, cải cách hành chính, chuyển đổi số", CK.GROUP, 200),
    ("2.1", "Hồ sơ thủ tục hành chính giải quyết đúng hạn", QN, 20, {}, "%"),
    ("2.2", "Dịch vụ công trực tuyến toàn trình", QN, 20, {}, "%"),
    ("2.3", "Chỉ số cải cách hành chính", QN, 20, LEADER, "điểm"),
    ("2.4", "Mức độ hài lòng của người dân, doanh nghiệp", QN, 20, {}, "%"),
    ("2.5", "Văn bản điện tử, ký số", QN, 15, {}, "%"),
    ("2.6", "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", QN, 15, {}, "%"),
    ("2.7", "Tiếp công dân định kỳ đúng quy định", QL, 15, {}, ""),
    ("2.8", "Giải quyết khiếu nại, tố cáo đúng hạn", QN, 15, {}, "%"),
    ("2.9", "Phòng, chống tham nhũng, tiêu cực", QL, 15, {}, ""),
    ("2.10", "Thực hành tiết kiệm, chống lãng phí", QL, 15, {}, ""),
    ("2.11", "Kỷ luật, kỷ cương hành chính", QL, 15, {}, ""),
    ("2.12", "Xếp loại cán bộ, công chức", GR, 15,
     {"grades": [["Hoàn thành xuất sắc", 15], ["Hoàn thành tốt", 10], ["Hoàn thành", 5],
                 ["Không hoàn thành", 0]]}, ""),
    ("III", "Công tác thi đua, khen thưởng", CK.GROUP, 200),
    ("3.1", "Kế hoạch, phát động phong trào thi đua thường xuyên", QL, 20, {}, ""),
    ("3.2", "Phong trào thi đua chuyên đề; đăng ký thi đua", QL, 20, {}, ""),
    ("3.3", "Ký kết giao ước thi đua", QL, 15, {}, ""),
    ("3.4", "Sơ kết, tổng kết phong trào thi đua", QL, 15, {}, ""),
    ("3.5", "Khen thưởng kịp thời, đúng quy định", QL, 20, {}, ""),
    ("3.6", "Phát hiện, nhân rộng gương điển hình tiên tiến (+5 mỗi gương)", PI, 20,
     {"points_per_item": 5, "cap": 20}, "gương"),
    ("3.7", "Người tốt, việc tốt được biểu dương (+3 mỗi trường hợp)", PI, 15,
     {"points_per_item": 3, "cap": 15}, "trường hợp"),
    ("3.8", "Hoạt động của Hội đồng Thi đua - Khen thưởng cơ sở", QL, 15, {}, ""),
    ("3.9", "Quỹ thi đua, khen thưởng", QL, 15, {}, ""),
    ("3.10", "Chế độ báo cáo đúng hạn (−5 mỗi báo cáo trễ)", PI, 15,
     {"points_per_item": -5, "cap": 15}, "báo cáo"),
    ("3.11", "Tham gia hoạt động cụm (+5 mỗi hoạt động)", PI, 15,
     {"points_per_item": 5, "cap": 15}, "hoạt động"),
    ("3.12", "Tuyên truyền công tác thi đua, khen thưởng", QL, 15, {}, ""),
    ("IV", "Xây dựng Đảng, Mặt trận, đoàn thể; đoàn kết nội bộ", CK.GROUP, 100),
    ("4.1", "Tổ chức đảng xếp loại", GR, 20, {"grades": PARTY_GRADES}, ""),
    ("4.2", "Mặt trận Tổ quốc xếp loại", GR, 15,
     {"grades": [["Vững mạnh", 15], ["Khá", 10], ["Trung bình", 5]]}, ""),
    ("4.3", "Đoàn Thanh niên xếp loại", GR, 10,
     {"grades": [["Vững mạnh", 10], ["Khá", 7], ["Trung bình", 3]]}, ""),
    ("4.4", "Hội Phụ nữ, Hội Nông dân, Hội Cựu chiến binh", QL, 10, {}, ""),
    ("4.5", "Công tác dân vận; quy chế dân chủ ở cơ sở", QL, 15, {}, ""),
    ("4.6", "Đoàn kết nội bộ", QL, 10, {}, ""),
    ("4.7", "Cán bộ, đảng viên không vi phạm kỷ luật", QL, 10, {}, ""),
    ("4.8", "Học tập, quán triệt nghị quyết; bồi dưỡng lý luận chính trị", QN, 10, {}, "%"),
    ("B.1", "Khen thưởng đột xuất của Thủ tướng, Chủ tịch UBND tỉnh (+10 mỗi lần)", CK.BONUS, 20,
     {"points_per_item": 10}, "lần"),
    ("B.2", "Mô hình mới được tỉnh công nhận; đăng cai hoạt động cụm", CK.BONUS, 30, {}, ""),
    ("P.1", "Báo cáo trễ, vắng họp cụm không lý do (−5 mỗi lần)", CK.PENALTY, 0,
     {"points_per_item": 5}, "lần"),
    ("P.2", "Bị cấp trên phê bình bằng văn bản; khiếu kiện đông người", CK.PENALTY, 0, {}, ""),
    ("V.1", "Tổ chức đảng không hoàn thành nhiệm vụ; cán bộ chủ chốt bị kỷ luật", CK.VETO, 0,
     {}, ""),
    ("V.2", "Đang bị thanh tra, điều tra, khiếu nại chưa có kết luận", CK.VETO, 0, {}, ""),
]  # fmt: skip
SHEET_SCALE = 1000
BANDS = [["Xuất sắc", "95"], ["Tốt", "85"], ["Khá", "70"], ["Trung bình", "50"]]
TIE_BREAKS = ["core_group", "fewer_penalty", "more_bonus", "women_majority", "more_votes"]
# The share of its target a unit reaches on a quantitative criterion, most near 100 %.
SHARES = [Decimal(s) for s in "1.12 1.05 1 1 1 1 0.98 0.95 0.9 0.85".split()]


def person(rng: random.Random) -> str:
    middle = rng.choice(MIDDLE_NAMES)
    return f"{rng.choice(FAMILY_NAMES)} {middle} {rng.choice(GIVEN_NAMES)}"


def place_names(rng: random.Random) -> Iterator[str]:
    """Every two-syllable place name in a fixed random order, then again as "… A", "… B"."""
    names = [f"{a} {b}" for a, b in itertools.product(FIRST_SYLLABLES, SECOND_SYLLABLES) if a != b]
    rng.shuffle(names)
    yield from names
    for letter in "ABCDEFGH":
        yield from (f"{name} {letter}" for name in names)


def delete_province(name: str, usernames: list[str]) -> None:
    """Delete the province and everything in it, children first (the FKs are PROTECT).

    History is switched off meanwhile, so the deletion leaves no "deleted" records,
    and the historical records of the deleted objects are removed afterwards.
    """
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        for province in Province.objects.filter(name=name):
            term_ids = list(
                ClusterYear.objects.filter(cluster__province=province).values_list("pk", flat=True)
            )
            cluster_ids = list(
                Cluster.objects.filter(province=province).values_list("pk", flat=True)
            )
            unit_ids = list(Unit.objects.filter(province=province).values_list("pk", flat=True))
            delete_awards(province, term_ids)
            delete_scoring(province, term_ids)
            # Terms cascade to memberships and cluster roles.
            ClusterYear.objects.filter(pk__in=term_ids).delete()
            Cluster.objects.filter(pk__in=cluster_ids).delete()
            UnitSuccession.objects.filter(
                Q(predecessor__province=province) | Q(successor__province=province)
            ).delete()
            Membership.objects.filter(unit__province=province).delete()
            # Units cascade to their names and to member officers' roles.
            Unit.objects.filter(pk__in=unit_ids).delete()
            User.objects.filter(province=province).delete()

            Membership.history.filter(cluster_year_id__in=term_ids).delete()
            ClusterYear.history.filter(cluster_id__in=cluster_ids).delete()
            Cluster.history.filter(province_id=province.pk).delete()
            UnitSuccession.history.filter(
                Q(predecessor_id__in=unit_ids) | Q(successor_id__in=unit_ids)
            ).delete()
            UnitName.history.filter(unit_id__in=unit_ids).delete()
            Unit.history.filter(province_id=province.pk).delete()
            RoleAssignment.history.filter(province_id=province.pk).delete()
            User.history.filter(province_id=province.pk).delete()
            province.delete()
        User.objects.filter(username__in=usernames).delete()
        User.history.filter(username__in=usernames).delete()


def delete_awards(province: Province, term_ids: list[int]) -> None:
    """Delete the province's meetings, ballots, proposals, decisions, movements and
    exemplary models with their history, children first (units and award forms are
    PROTECT). History rows are found by their parent's id, so that the records of rows
    deleted since (a ballot round removed on its page, say) go too."""
    meeting_ids = list(
        Meeting.objects.filter(cluster_year_id__in=term_ids).values_list("pk", flat=True)
    )
    ballot_ids = list(
        Ballot.objects.filter(meeting_id__in=meeting_ids).values_list("pk", flat=True)
    )
    proposal_ids = list(
        Proposal.objects.filter(cluster_year_id__in=term_ids).values_list("pk", flat=True)
    )
    decision_ids = list(
        AwardDecision.objects.filter(province=province).values_list("pk", flat=True)
    )
    movement_ids = list(Movement.objects.filter(province=province).values_list("pk", flat=True))

    AwardRecipient.objects.filter(decision_id__in=decision_ids).delete()
    AwardDecision.objects.filter(pk__in=decision_ids).delete()
    ProposalItem.objects.filter(proposal_id__in=proposal_ids).delete()
    Proposal.objects.filter(pk__in=proposal_ids).delete()
    BallotCandidate.objects.filter(ballot_id__in=ballot_ids).delete()
    Ballot.objects.filter(pk__in=ballot_ids).delete()
    MeetingCommendation.objects.filter(meeting_id__in=meeting_ids).delete()
    MeetingSection.objects.filter(meeting_id__in=meeting_ids).delete()
    Attendance.objects.filter(meeting_id__in=meeting_ids).delete()
    Meeting.objects.filter(pk__in=meeting_ids).delete()
    ExemplaryModel.objects.filter(province=province).delete()
    # Movements cascade to their participating clusters (the M2M rows).
    Movement.objects.filter(pk__in=movement_ids).delete()

    AwardRecipient.history.filter(decision_id__in=decision_ids).delete()
    AwardDecision.history.filter(province_id=province.pk).delete()
    ProposalItem.history.filter(proposal_id__in=proposal_ids).delete()
    Proposal.history.filter(cluster_year_id__in=term_ids).delete()
    BallotCandidate.history.filter(ballot_id__in=ballot_ids).delete()
    Ballot.history.filter(meeting_id__in=meeting_ids).delete()
    MeetingCommendation.history.filter(meeting_id__in=meeting_ids).delete()
    MeetingSection.history.filter(meeting_id__in=meeting_ids).delete()
    Attendance.history.filter(meeting_id__in=meeting_ids).delete()
    Meeting.history.filter(cluster_year_id__in=term_ids).delete()
    ExemplaryModel.history.filter(province_id=province.pk).delete()
    movement_history = Movement.history.filter(province_id=province.pk)
    MovementClusterHistory.objects.filter(history__in=movement_history).delete()
    movement_history.delete()


def delete_scoring(province: Province, term_ids: list[int]) -> None:
    """Delete the province's scoring data and its history, children first.

    Scores and targets are deleted with single DELETE statements (QuerySet._raw_delete):
    their history signals would make Django load each of the hundreds of thousands of
    rows first, and history is switched off during the deletion anyway.
    """
    period_ids = list(
        Period.objects.filter(cluster_year_id__in=term_ids).values_list("pk", flat=True)
    )
    covenant_ids = list(
        Covenant.objects.filter(cluster_year_id__in=term_ids).values_list("pk", flat=True)
    )
    sheet_ids = list(ScoreSheet.objects.filter(province=province).values_list("pk", flat=True))
    scores = Score.objects.filter(period_id__in=period_ids)
    scores._raw_delete(scores.db)
    Submission.objects.filter(period_id__in=period_ids).delete()
    for evidence in Evidence.objects.filter(period_id__in=period_ids):
        evidence.file.delete(save=False)
        evidence.delete()
    CrossAssignment.objects.filter(period_id__in=period_ids).delete()
    targets = Target.objects.filter(covenant_id__in=covenant_ids)
    targets._raw_delete(targets.db)
    Period.objects.filter(pk__in=period_ids).delete()
    Covenant.objects.filter(pk__in=covenant_ids).delete()
    Criterion.objects.filter(sheet_id__in=sheet_ids).delete()
    ScoreSheet.objects.filter(pk__in=sheet_ids).delete()
    RuleSet.objects.filter(province=province).delete()

    Score.history.filter(period_id__in=period_ids).delete()
    Submission.history.filter(period_id__in=period_ids).delete()
    Evidence.history.filter(period_id__in=period_ids).delete()
    CrossAssignment.history.filter(period_id__in=period_ids).delete()
    Target.history.filter(covenant_id__in=covenant_ids).delete()
    Period.history.filter(cluster_year_id__in=term_ids).delete()
    Covenant.history.filter(cluster_year_id__in=term_ids).delete()
    Criterion.history.filter(sheet_id__in=sheet_ids).delete()
    ScoreSheet.history.filter(province_id=province.pk).delete()
    RuleSet.history.filter(province_id=province.pk).delete()


def make_users(province: Province, clusters: int, rng: random.Random) -> list[User]:
    # One hash for all: hashing 40-odd passwords one by one would take most of a minute.
    password = make_password(PASSWORD)
    users = [
        User(
            username="bench_staff",
            full_name=person(rng),
            position="Chuyên viên Ban Thi đua - Khen thưởng",
            province=province,
            password=password,
        ),
        User(
            username="bench_leader",
            full_name=person(rng),
            position="Phó Chủ tịch Ủy ban nhân dân tỉnh",
            province=province,
            password=password,
        ),
    ]
    for number in range(1, clusters + 1):
        users.append(
            User(
                username=f"bench_secretary_{number:02d}",
                full_name=person(rng),
                position="Thư ký cụm thi đua",
                province=province,
                password=password,
            )
        )
    return bulk_create_with_history(users, User)


def unit_plans(
    units: int, clusters: int, blocs: int, rng: random.Random
) -> tuple[list[Unit], list[Unit]]:
    """The units before any 2025 event, as (local units, provincial agencies and schools).

    Local units are communes, wards and townships, for the numbered clusters; the
    others are for the blocs, in proportion to the number of blocs.
    """
    agency_count = round(units * blocs / clusters) if clusters else 0
    local_count = units - agency_count
    places = place_names(rng)
    codes = itertools.count(30001, 3)

    agencies = []
    for kind, name, short_name in AGENCIES[:agency_count]:
        agencies.append(Unit(kind=kind, name=name, short_name=short_name))
    # The rest are high schools, then district health centres, so that blocs group alike units.
    schools = (agency_count - len(agencies)) * 2 // 3
    for _ in range(schools):
        agencies.append(Unit(kind=Kind.SCHOOL, name=f"Trường THPT {next(places)}"))
    while len(agencies) < agency_count:
        place = next(places)
        agencies.append(Unit(kind=Kind.PUBLIC_SERVICE, name=f"Trung tâm Y tế khu vực {place}"))
    for unit in agencies:
        unit.code = f"{next(codes) + 60000:05d}"
        if unit.name in NEW_DEPARTMENTS:
            unit.valid_from = DEPARTMENT_MERGE_DATE

    local = []
    for index in range(local_count):
        roll = rng.random()
        if roll < 0.72:
            kind, prefix = Kind.COMMUNE, "Xã"
        elif roll < 0.92:
            kind, prefix = Kind.WARD, "Phường"
        else:
            kind, prefix = Kind.TOWNSHIP, "Thị trấn"
        local.append(
            Unit(
                kind=kind,
                name=f"{prefix} {next(places)}",
                code=f"{next(codes):05d}",
                valid_from=datetime.date(2008, 1, 1) if index % 7 == 0 else None,
                head_name=person(rng),
                head_position=f"Chủ tịch Ủy ban nhân dân {prefix.lower()}",
                phone=f"0277 38{rng.randrange(10000, 99999)}",
            )
        )
    return local, agencies


def plan_commune_merges(local: list[Unit], rng: random.Random) -> list[tuple[list[int], int]]:
    """Choose three-into-one commune merges: the last local units are the new communes.

    Returns (indexes of the predecessors, index of the successor) into `local`.
    """
    merges = len(local) // 32
    successors = list(range(len(local) - merges, len(local)))
    for index in successors:
        local[index].kind = Kind.COMMUNE
        local[index].name = "Xã " + local[index].name.split(" ", 1)[1]
        local[index].valid_from = COMMUNE_MERGE_DATE
    pool = list(range(len(local) - merges))
    rng.shuffle(pool)
    return [(sorted(pool[3 * i : 3 * i + 3]), successor) for i, successor in enumerate(successors)]


def memberships_for(term: ClusterYear, units: list[Unit]) -> list[Membership]:
    """Members of `term`: the cluster's units that existed at some time during its year."""
    first, last = datetime.date(term.year, 1, 1), datetime.date(term.year, 12, 31)
    rows = []
    for index, unit in enumerate(units):
        if (unit.valid_from and unit.valid_from > last) or (
            unit.valid_to and unit.valid_to < first
        ):
            continue
        joins = unit.valid_from if unit.valid_from and unit.valid_from > first else None
        leaves = unit.valid_to if unit.valid_to and unit.valid_to < last else None
        note = ""
        if joins:
            note = f"Thành lập từ {joins:%d/%m/%Y}"
        elif leaves:
            note = f"Sắp xếp, chấm dứt hoạt động từ {leaves + datetime.timedelta(days=1):%d/%m/%Y}"
        rows.append(
            Membership(
                cluster_year=term,
                unit=unit,
                valid_from=joins,
                valid_to=leaves,
                women_majority=index % 9 == 4,
                note=note,
            )
        )
    return rows


def generate(options: argparse.Namespace) -> Counter:
    """Create the province, its users and its registry; return what was created."""
    rng = random.Random(options.seed)
    created: Counter = Counter()

    province = Province.objects.create(
        name=options.province_name,
        code="99",
        authority_name=f"UBND {options.province_name.upper()}",
    )
    created["provinces"] += 1
    users = make_users(province, options.clusters, rng)
    staff = users[0]
    created["users"] += len(users)
    # Record the staff member as the author of every history record made by the services.
    HistoricalRecords.context.request = SimpleNamespace(user=staff)
    try:
        generate_registry(options, province, users, rng, created)
        generate_scoring(province, staff, rng, created)
        generate_awards(province, users, rng, created)
    finally:
        del HistoricalRecords.context.request
    return created


def generate_registry(
    options: argparse.Namespace,
    province: Province,
    users: list[User],
    rng: random.Random,
    created: Counter,
) -> None:
    """Units and their 2025 events, clusters, terms, members and roles."""
    staff = users[0]
    blocs = options.clusters // 5
    years = list(range(LAST_YEAR - options.years + 1, LAST_YEAR + 1))

    local, agencies = unit_plans(options.units, options.clusters, blocs, rng)
    merges = plan_commune_merges(local, rng)
    all_units = local + agencies
    for unit in all_units:
        unit.province = province
        unit.refresh_name_keys()
    all_units = bulk_create_with_history(all_units, Unit, default_user=staff)
    names = [UnitName(unit=u, name=u.name, valid_from=u.valid_from) for u in all_units]
    bulk_create_with_history(names, UnitName, default_user=staff)
    created["units"] += len(all_units)
    created["unit names"] += len(names)

    # Some communes became wards on 1 February 2025.
    merged = {i for predecessors, successor in merges for i in (*predecessors, successor)}
    renamable = [u for i, u in enumerate(local) if i not in merged and u.kind == Kind.COMMUNE]
    for number, unit in enumerate(rng.sample(renamable, min(len(renamable), len(local) // 20))):
        services.unit_rename(
            unit=unit,
            new_name="Phường " + unit.name.split(" ", 1)[1],
            effective_date=RENAME_DATE,
            legal_basis=f"Nghị quyết số {1201 + number}/NQ-UBTVQH15 ngày 14/01/2025",
        )
        unit.kind = Kind.WARD
        unit.save(update_fields=["kind"])
        created["renamings"] += 1

    by_name = {u.name: u for u in agencies}
    for kind, before, after, legal_basis in DEPARTMENT_REORGANISATIONS:
        if all(name in by_name for name in before + after):
            links = services.reorganisation_record(
                kind=kind,
                predecessors=[by_name[name] for name in before],
                successors=[by_name[name] for name in after],
                effective_date=DEPARTMENT_MERGE_DATE,
                legal_basis=legal_basis,
            )
            created["reorganisation links"] += len(links)
    for number, (predecessors, successor) in enumerate(merges):
        links = services.reorganisation_record(
            kind=UnitSuccession.Kind.MERGE,
            predecessors=[local[i] for i in predecessors],
            successors=[local[successor]],
            effective_date=COMMUNE_MERGE_DATE,
            legal_basis=f"Nghị quyết số {1650 + number}/NQ-UBTVQH15 ngày 16/06/2025",
            note="Sắp xếp đơn vị hành chính cấp xã năm 2025",
        )
        created["reorganisation links"] += len(links)

    # Clusters take runs of local units (neighbours, in a real province); a new commune
    # joins the cluster of its first predecessor. Agencies stay in their bloc.
    cluster_count = options.clusters - blocs
    original_count = len(local) - len(merges)
    home = list(range(len(local)))
    for predecessors, successor in merges:
        home[successor] = predecessors[0]
    members_of: dict[int, list[Unit]] = defaultdict(list)
    fresh = {u.pk: u for u in Unit.objects.filter(province=province)}
    for index, unit in enumerate(local):
        members_of[home[index] * cluster_count // original_count].append(fresh[unit.pk])
    for index, unit in enumerate(agencies):
        members_of[cluster_count + index * blocs // len(agencies)].append(fresh[unit.pk])

    clusters = []
    for number in range(1, cluster_count + 1):
        clusters.append(
            Cluster(
                kind=Cluster.Kind.CLUSTER,
                number=number,
                name=f"Cụm thi đua số {number}",
                symbol=f"CTĐ{number}",
            )
        )
    labels = [
        BLOC_LABELS[Counter(u.kind for u in members_of[cluster_count + i]).most_common(1)[0][0]]
        for i in range(blocs)
    ]
    label_counts, label_numbers = Counter(labels), Counter()
    for number, label in enumerate(labels, start=1):
        name = f"Khối thi đua {label}"
        if label_counts[label] > 1:
            label_numbers[label] += 1
            name += f" số {label_numbers[label]}"
        clusters.append(
            Cluster(kind=Cluster.Kind.BLOC, number=number, name=name, symbol=f"KTĐ{number}")
        )
    for number, cluster in enumerate(clusters):
        cluster.province = province
        cluster.founding_decision = f"Quyết định số {301 + number}/QĐ-UBND ngày 12/03/2016"
        cluster.valid_from = datetime.date(2016, 3, 12)
        cluster.refresh_name_keys()
    clusters = bulk_create_with_history(clusters, Cluster, default_user=staff)
    created["clusters"] += len(clusters)

    latest_terms = []
    for year in years:
        # Each year's terms and members are dated in the January they were opened.
        opened = timezone.make_aware(datetime.datetime(year, 1, 5, 9, 0))
        terms = []
        for index, cluster in enumerate(clusters):
            on_first_day = [u for u in members_of[index] if u.exists_on(datetime.date(year, 1, 1))]
            head = on_first_day[year % len(on_first_day)] if on_first_day else None
            deputy = on_first_day[(year + 1) % len(on_first_day)] if on_first_day else None
            terms.append(
                ClusterYear(
                    cluster=cluster,
                    year=year,
                    head_unit=head,
                    deputy_unit=deputy if deputy != head else None,
                    secretary_name=person(rng),
                    secretary_position=f"Chuyên viên Văn phòng {head.name}" if head else "",
                    supervisor_name=person(rng),
                    supervisor_position="Ủy viên Hội đồng Thi đua - Khen thưởng tỉnh",
                    header_parent=province.authority_name,
                    header_name=cluster.name.upper(),
                    signer_name=person(rng),
                    signer_position=f"CHỦ TỊCH UBND {head.name.upper()}" if head else "",
                )
            )
        terms = bulk_create_with_history(
            terms, ClusterYear, default_user=staff, default_date=opened
        )
        rows = []
        for index, term in enumerate(terms):
            rows += memberships_for(term, members_of[index])
        bulk_create_with_history(rows, Membership, default_user=staff, default_date=opened)
        created["cluster years"] += len(terms)
        created["memberships"] += len(rows)
        latest_terms = terms

    roles = [
        RoleAssignment(user=users[0], role=Role.PROVINCIAL_STAFF, province=province),
        RoleAssignment(user=users[1], role=Role.LEADER, province=province),
    ]
    for user, term in zip(users[2:], latest_terms, strict=True):
        roles.append(
            RoleAssignment(
                user=user, role=Role.CLUSTER_SECRETARY, province=province, cluster_year=term
            )
        )
    bulk_create_with_history(roles, RoleAssignment, default_user=staff)
    created["role assignments"] += len(roles)


def make_sheet(province: Province, staff: User) -> list[Criterion]:
    """The latest year's score sheet and rule set; returns the sheet's scorable criteria."""
    sheet = bulk_create_with_history(
        [ScoreSheet(province=province, year=LAST_YEAR, name=SHEET_NAME, scale=SHEET_SCALE)],
        ScoreSheet,
        default_user=staff,
    )[0]
    groups, rows = [], []
    for position, (code, text, kind, max_points, *rest) in enumerate(SHEET):
        params, unit_of_measure = rest or ({}, "")
        criterion = Criterion(
            sheet=sheet,
            code=code,
            text=text,
            kind=kind,
            max_points=max_points,
            position=position,
            params=params,
            unit_of_measure=unit_of_measure,
        )
        if kind == CK.GROUP:
            groups.append(criterion)
        else:
            # Bonus, penalty and veto criteria stand outside the groups.
            rows.append((criterion, None if code[0] in "BPV" else groups[-1]))
    groups = bulk_create_with_history(groups, Criterion, default_user=staff)
    for criterion, group in rows:
        criterion.parent = group
    criteria = bulk_create_with_history([c for c, _g in rows], Criterion, default_user=staff)
    for group in groups:
        children = [c.max_points for c, g in rows if g is group]
        assert sum(children) == group.max_points, group.code
    assert sum(g.max_points for g in groups) == SHEET_SCALE

    bulk_create_with_history(
        [
            RuleSet(
                province=province,
                year=LAST_YEAR,
                bands=BANDS,
                eligibility_min_percent=90,
                tie_breaks=TIE_BREAKS,
                core_group="I",
                bonus_cap=50,
                self_score_deadline=datetime.date(LAST_YEAR, 11, 15),
                agreed_score_deadline=datetime.date(LAST_YEAR, 11, 30),
                proposal_deadline=datetime.date(LAST_YEAR, 12, 10),
            )
        ],
        RuleSet,
        default_user=staff,
    )
    return sorted(criteria, key=lambda c: c.position)


def assigned_target(criterion: Criterion, rng: random.Random) -> Decimal | None:
    """A member's covenant target on a quantitative criterion, in its unit of measure."""
    if criterion.params.get("no_target") == "full":
        return None
    if criterion.params.get("lower_is_better"):
        # Ceilings: the poverty rate in %, or a number of crimes or accidents.
        if criterion.unit_of_measure == "%":
            return Decimal(rng.choice(["1.5", "2", "2.5", "3"]))
        return Decimal(rng.randrange(5, 30))
    if criterion.unit_of_measure == "%":
        return Decimal(rng.choice([90, 95, 98, 100]))
    if criterion.unit_of_measure == "điểm":
        return Decimal(rng.choice([80, 85, 90]))
    if criterion.unit_of_measure == "tiêu chí":
        return Decimal(19)
    return Decimal(rng.randrange(10, 400))


def entered_value(
    criterion: Criterion, target: Decimal | None, rng: random.Random
) -> Decimal | None:
    """What a member enters on the criterion: an actual value, 1/0, a grade index, a
    count, or claimed points. Vetoes are handled by the caller."""
    kind = criterion.kind
    if kind == CK.QUANTITATIVE:
        base = target if target is not None else Decimal(rng.randrange(10, 200))
        share = rng.choice(SHARES)
        actual = base / share if criterion.params.get("lower_is_better") else base * share
        return actual.quantize(Decimal("0.01"))
    if kind == CK.QUALITATIVE:
        return Decimal(1 if rng.random() < 0.85 else 0)
    if kind == CK.GRADED:
        grades = len(criterion.params["grades"])
        return Decimal(rng.choices(range(grades), weights=[6, 3, 1, 0.3][:grades])[0])
    if kind == CK.PER_ITEM:
        if Decimal(criterion.params["points_per_item"]) < 0:
            return Decimal(rng.choice([0, 0, 0, 1, 2]))
        return Decimal(rng.randrange(0, 6))
    if kind == CK.BONUS:
        if "points_per_item" in criterion.params:
            return Decimal(rng.choice([0, 0, 0, 1, 2]))
        return Decimal(rng.choice([0, 0, 0, 5, 10, 15]))
    if kind == CK.PENALTY:
        if "points_per_item" in criterion.params:
            return Decimal(rng.choice([0, 0, 0, 1, 2]))
        return Decimal(rng.choice([0, 0, 0, 0, 10]))
    return None


def period_scores(
    period: Period,
    members: list[Unit],
    criteria: list[Criterion],
    specs: dict[int, scoring.CriterionSpec],
    targets: dict[tuple[int, int], Decimal],
    vetoed: Unit | None,
    staff: User,
    rng: random.Random,
) -> list[Score]:
    """Self, cross and agreed scores of every member on every criterion of a period.

    Self and cross scores hold the value entered and the points it is worth; a tenth of
    the cross scores differ from the self scores. The agreed points are the cross points
    (value left empty, as the grid records points). Veto criteria hold points None and
    value 0, or 1 in the cross and agreed scores of the `vetoed` unit.
    """
    values = {}
    for stage in (Score.Stage.SELF, Score.Stage.CROSS):
        for unit in members:
            for criterion in criteria:
                target = targets.get((unit.pk, criterion.pk))
                if criterion.kind == CK.VETO:
                    value = Decimal(0)
                    if unit == vetoed and stage == Score.Stage.CROSS and criterion.code == "V.2":
                        value = Decimal(1)
                elif stage == Score.Stage.CROSS and rng.random() >= 0.1:
                    value = values[(Score.Stage.SELF, unit.pk, criterion.pk)]
                else:
                    value = entered_value(criterion, target, rng)
                values[(stage, unit.pk, criterion.pk)] = value

    rows = []
    for stage in (Score.Stage.SELF, Score.Stage.CROSS):
        # The best value in the cluster, for criteria in leader mode.
        leaders = {
            c.pk: scoring.leader_value(specs[c.pk], [values[(stage, u.pk, c.pk)] for u in members])
            for c in criteria
            if c.kind == CK.QUANTITATIVE
        }
        for unit in members:
            for criterion in criteria:
                value = values[(stage, unit.pk, criterion.pk)]
                points = None
                if criterion.kind != CK.VETO:
                    points = scoring.criterion_points(
                        specs[criterion.pk],
                        value,
                        target=targets.get((unit.pk, criterion.pk)),
                        leader=leaders.get(criterion.pk),
                    )
                common = {"period": period, "unit": unit, "criterion": criterion}
                rows.append(
                    Score(**common, stage=stage, value=value, points=points, updated_by=staff)
                )
                if stage == Score.Stage.CROSS:
                    rows.append(
                        Score(
                            **common,
                            stage=Score.Stage.AGREED,
                            value=value if criterion.kind == CK.VETO else None,
                            points=points,
                            updated_by=staff,
                        )
                    )
    return rows


def biggest_term(terms: list[ClusterYear]) -> ClusterYear:
    """The term run.py measures: the most members, then the first in kind and number."""
    counts = Counter(
        Membership.objects.filter(cluster_year__in=terms).values_list("cluster_year_id", flat=True)
    )
    return min(terms, key=lambda t: (-counts[t.pk], t.cluster.kind, t.cluster.number))


def generate_scoring(province: Province, staff: User, rng: random.Random, created: Counter):
    """The latest year's sheet, rules, covenants, targets, periods and scores."""
    criteria = make_sheet(province, staff)
    sheet = criteria[0].sheet
    specs = {
        c.pk: scoring.CriterionSpec(
            code=c.code, kind=c.kind, max_points=c.max_points, params=c.params
        )
        for c in criteria
    }
    created["score sheets"] += 1
    created["criteria"] += len(SHEET)
    created["rule sets"] += 1

    terms = list(
        ClusterYear.objects.filter(cluster__province=province, year=LAST_YEAR)
        .select_related("cluster", "head_unit")
        .order_by("cluster__kind", "cluster__number")
    )
    signed = timezone.make_aware(datetime.datetime(LAST_YEAR, 2, 20, 9, 0))
    covenants = bulk_create_with_history(
        [
            Covenant(
                cluster_year=term,
                sheet=sheet,
                signed_on=signed.date(),
                signatories=f"Chủ tịch UBND các đơn vị thành viên {term.cluster.name}",
            )
            for term in terms
        ],
        Covenant,
        default_user=staff,
        default_date=signed,
    )
    periods = bulk_create_with_history(
        [
            Period(cluster_year=term, kind=kind, state=state)
            for term in terms
            for kind, state in (
                (Period.Kind.SIX_MONTH, Period.State.LOCKED),
                (Period.Kind.ANNUAL, Period.State.SCORING),
            )
        ],
        Period,
        default_user=staff,
        default_date=signed,
    )
    created["covenants"] += len(covenants)
    created["periods"] += len(periods)

    biggest = biggest_term(terms)
    quantitative = [c for c in criteria if c.kind == CK.QUANTITATIVE]
    covenant_of = {c.cluster_year_id: c for c in covenants}
    for term in terms:
        covenant = covenant_of[term.pk]
        term_periods = [p for p in periods if p.cluster_year_id == term.pk]
        # Every member during the year has targets; the periods' members are among them.
        year_members = list(members_during(term_periods[-1]))
        targets, target_rows = {}, []
        for unit in year_members:
            for criterion in quantitative:
                target = assigned_target(criterion, rng)
                if target is None:
                    continue
                targets[(unit.pk, criterion.pk)] = target
                target_rows.append(
                    Target(
                        covenant=covenant,
                        unit=unit,
                        criterion=criterion,
                        target=target,
                        registered=target,
                        unit_of_measure=criterion.unit_of_measure,
                    )
                )
        Target.objects.bulk_create(target_rows, batch_size=2000)
        created["targets"] += len(target_rows)

        for period in term_periods:
            period.cluster_year = term
            members = list(members_during(period))
            annual = period.kind == Period.Kind.ANNUAL
            # One unit of the measured cluster is vetoed in the annual period.
            vetoed = members[len(members) // 2] if annual and term == biggest else None
            scores = period_scores(period, members, criteria, specs, targets, vetoed, staff, rng)
            Score.objects.bulk_create(scores, batch_size=2000)
            created["scores"] += len(scores)
            if len(members) > 1:
                ring = [
                    CrossAssignment(period=period, scorer=members[index - 1], scored=unit)
                    for index, unit in enumerate(members)
                ]
                CrossAssignment.objects.bulk_create(ring)
                created["cross assignments"] += len(ring)
            # The six months are submitted and locked; in the year every other member has
            # handed in its self-scores, so that the others' pages still take entries.
            submissions = [
                Submission(period=period, unit=unit, stage=stage, submitted_by=staff)
                for index, unit in enumerate(members)
                for stage in (Score.Stage.SELF, Score.Stage.CROSS)
                if not annual or (stage == Score.Stage.SELF and index % 2)
            ]
            Submission.objects.bulk_create(submissions)
            created["submissions"] += len(submissions)
    # The locked six-month periods keep the ranking stored when they were locked.
    created["stored period results"] += period_results_store(periods)
    created[f"members of the biggest cluster year ({biggest.cluster.name})"] = (
        Membership.objects.filter(cluster_year=biggest).count()
    )


# --- Meetings, ballots, proposals and awards of the latest year ---------------------

Section = MeetingSection.Kind
LOCAL_KINDS = {Kind.COMMUNE, Kind.WARD, Kind.TOWNSHIP}
# Meeting days of the latest year; term n holds its meetings n days after the first day
# (modulo the spread), the deliberation on the afternoon of the annual review.
SIX_MONTH_FIRST_DAY, SIX_MONTH_SPREAD = datetime.date(LAST_YEAR, 7, 8), 15
ANNUAL_FIRST_DAY, ANNUAL_SPREAD = datetime.date(LAST_YEAR, 11, 2), 10
SUBMITTED_AFTER = datetime.timedelta(days=4)
# The province appraises and decides after the last submission, before the deadline.
DECISION_DAY = datetime.date(LAST_YEAR, 11, 20)
OVERRIDE_REASON = (
    "Đơn vị dẫn đầu Cụm; các chỉ tiêu chưa đạt do nguyên nhân khách quan (thiên tai, điều "
    "chỉnh dự toán), đã được Hội đồng Thi đua - Khen thưởng tỉnh xem xét, chấp thuận."
)
RETURN_REASON = (
    "Đề nghị Cụm bổ sung biên bản kiểm phiếu bình xét và báo cáo thành tích của các đơn vị "
    "được đề nghị khen thưởng."
)
DECISION_NUMBERS = {"co-thi-dua-tinh": "2451/QĐ-UBND", "bang-khen-tinh": "2452/QĐ-UBND"}
# The thematic movements; the regular one is launched every year.
THEMATIC_MOVEMENTS = [
    "Cả nước chung tay vì người nghèo - Không để ai bị bỏ lại phía sau",
    "Toàn dân đoàn kết xây dựng đời sống văn hóa",
    "Chung sức xây dựng nông thôn mới, đô thị văn minh",
    "Đẩy mạnh cải cách hành chính, chuyển đổi số",
    "Doanh nghiệp hội nhập và phát triển",
    "Dân vận khéo",
    "Phụ nữ tích cực học tập, lao động sáng tạo, xây dựng gia đình hạnh phúc",
    "Nông dân thi đua sản xuất, kinh doanh giỏi",
    "Tuổi trẻ xung kích, tình nguyện vì cộng đồng",
    "Xây dựng xã hội học tập, học tập suốt đời",
    "Đền ơn đáp nghĩa, uống nước nhớ nguồn",
    "Toàn dân bảo vệ an ninh Tổ quốc",
    "Bình dân học vụ số",
    "Chung tay xóa nhà tạm, nhà dột nát",
    "Thi đua hoàn thành sắp xếp đơn vị hành chính cấp xã",
    "Giữ gìn trật tự, an toàn giao thông",
]
EXEMPLARY_TITLES = {
    ExemplaryModel.Kind.EXEMPLAR: [
        "Điển hình tiên tiến trong phong trào {movement}",
        "Tập thể tiêu biểu xuất sắc năm {year}",
        "Gương điển hình trong công tác cải cách hành chính",
        "Điển hình dân vận khéo lĩnh vực {field}",
    ],
    ExemplaryModel.Kind.GOOD_DEED: [
        "Dũng cảm cứu người gặp nạn trên sông",
        "Trả lại tài sản nhặt được cho người đánh rơi",
        "Hiến đất mở rộng đường giao thông nông thôn",
        "Vận động xây dựng nhà đại đoàn kết cho hộ nghèo",
        "Hỗ trợ học bổng cho học sinh có hoàn cảnh khó khăn",
    ],
    ExemplaryModel.Kind.NEW_MODEL: [
        "Mô hình {field} gắn với chuyển đổi số",
        "Mô hình “Tuyến đường hoa, đường sáng - xanh - sạch - đẹp”",
        "Mô hình “Chợ 4.0 - thanh toán không dùng tiền mặt”",
        "Mô hình tổ hợp tác {field}",
        "Mô hình “Camera an ninh tại khu dân cư”",
    ],
}
FIELDS = [
    "trồng lúa hữu cơ",
    "nuôi tôm sinh thái",
    "chăm sóc người cao tuổi",
    "bảo vệ môi trường",
    "tiếp nhận hồ sơ một cửa",
    "khuyến học, khuyến tài",
]


def delegate_lines(unit: Unit, rng: random.Random) -> tuple[str, str]:
    """A unit's two delegates, as (the leader's name, the delegates' text)."""
    leader = person(rng)
    if unit.kind in LOCAL_KINDS:
        prefix = unit.name.split(" ", 1)[0].lower()
        lines = [
            f"{leader}, Chủ tịch Ủy ban nhân dân {unit.name}",
            f"{person(rng)}, công chức Văn phòng - Thống kê {prefix}",
        ]
    else:
        lines = [
            f"{leader}, Phó Thủ trưởng {unit.name}",
            f"{person(rng)}, chuyên viên phụ trách thi đua, khen thưởng",
        ]
    return leader, "\n".join(lines)


def issuer_of(unit: Unit) -> str:
    """Who may award a Giấy khen to an individual of `unit` (never the cluster)."""
    if unit.kind in LOCAL_KINDS:
        return f"Chủ tịch Ủy ban nhân dân {unit.name}"
    return f"Thủ trưởng {unit.name}"


def review_sections(kind: str, term: ClusterYear, head: Unit, guest: str, rows, rng) -> list:
    """The six sections of a review's minutes, as (kind, title, body)."""
    year, cluster = term.year, term.cluster.name
    speakers = ", ".join(unit.name for unit in rng.sample(rows, min(3, len(rows))))
    if kind == Meeting.Kind.SIX_MONTH_REVIEW:
        what, when = "sơ kết", f"6 tháng đầu năm {year}"
        deadline = f"31/7/{year}"
    else:
        what, when = "tổng kết", f"năm {year}"
        deadline = f"10/12/{year}"
    revenue = rng.choice(["52,6", "56,1", "61,3", "104,2", "108,7"])
    sections = [
        (
            Section.REPORT,
            f"Báo cáo {what} công tác thi đua, khen thưởng {when}",
            f"{head.name} thay mặt Cụm trưởng trình bày báo cáo {what} công tác thi đua, khen "
            f"thưởng {when} của {cluster}; {len(rows)} đơn vị thành viên đã gửi báo cáo và số "
            f"liệu chấm điểm đúng thời hạn.",
        ),
        (
            Section.RESULTS,
            "Kết quả đạt được",
            "Các đơn vị thành viên tổ chức phát động phong trào thi đua thường xuyên và thi đua "
            "chuyên đề ngay từ đầu năm, gắn với nhiệm vụ chính trị của từng địa phương, đơn vị.\n"
            f"Thu ngân sách đạt bình quân {revenue} % dự toán; tỷ lệ hồ sơ thủ tục hành chính "
            f"giải quyết đúng hạn đạt {rng.choice(['98,2', '99,1', '99,6'])} %; "
            f"{rng.randrange(12, 40)} tập thể, cá nhân điển hình được biểu dương, nhân rộng.\n"
            "Công tác khen thưởng kịp thời, đúng đối tượng, chú trọng người lao động trực tiếp.",
        ),
        (
            Section.LIMITATIONS,
            "Hạn chế, khó khăn",
            "- Một số đơn vị gửi báo cáo, số liệu chấm điểm còn chậm so với thời gian quy định;\n"
            "- Việc phát hiện, nhân rộng mô hình mới, cách làm hay ở cơ sở chưa thường xuyên;\n"
            "- Một số chỉ tiêu kinh tế - xã hội đạt thấp so với cùng kỳ.",
        ),
        (
            Section.DISCUSSION,
            "Thảo luận",
            f"Đại biểu {speakers} phát biểu, chia sẻ kinh nghiệm tổ chức phong trào thi đua và "
            "đề xuất giải pháp hoàn thành các chỉ tiêu còn đạt thấp.",
        ),
        (
            Section.GUIDANCE,
            "Ý kiến chỉ đạo của Sở Nội vụ",
            f"{guest} ghi nhận kết quả của Cụm, đề nghị các đơn vị thành viên rà soát chỉ tiêu "
            "giao ước, hoàn thiện hồ sơ chấm điểm và bình xét theo hướng dẫn của Hội đồng Thi "
            "đua - Khen thưởng tỉnh.",
        ),
        (
            Section.CONCLUSIONS,
            "Kết luận",
            f"Hội nghị thống nhất kết quả {what} {when}; giao {head.name} hoàn chỉnh báo cáo gửi "
            f"Ban Thi đua - Khen thưởng tỉnh trước ngày {deadline}.",
        ),
    ]
    return sections


def tally(
    order: list[int],
    winners: list[int],
    quota: int,
    members: int,
    present: int,
    ruleset: RuleSet,
    skip: set[int] = frozenset(),
) -> tuple[dict, dict[int, int], set[int]]:
    """A consistent tally electing `winners`: (ballot counts, votes by unit, elected).

    Every member present gets a ballot and returns it; one is invalid from 8 members
    on. The winners get nearly every valid ballot and a few other candidates (not in
    `skip`) one vote each; when that would not elect exactly the winners (small
    clusters), the winners get every valid ballot and the others none. The result is
    checked with award_rules, as the tally page checks it.
    """
    invalid = 1 if present >= 8 else 0
    counts = {
        "issued": present,
        "returned": present,
        "valid": present - invalid,
        "invalid": invalid,
    }
    valid = counts["valid"]
    threshold, strict = ruleset.ballot_threshold_percent, ruleset.threshold_strict
    others = [u for u in order if u not in winners and u not in skip]

    def attempt(spread: bool) -> tuple[dict[int, int], set[int]] | None:
        votes = dict.fromkeys(order, 0)
        for index, unit in enumerate(winners):
            votes[unit] = valid - (index + 2 if spread else 0)
        left = valid * quota - sum(votes.values())
        for unit in others[: min(left, 3) if spread else 0]:
            votes[unit] = 1
        if min(votes.values()) < 0:
            return None
        result = award_rules.elect(votes, order, quota, members, threshold, strict)
        problems = award_rules.tally_problems(
            award_rules.Tally(
                members_total=members,
                present=present,
                quorum_percent=ruleset.quorum_percent,
                votes=votes,
                elected=frozenset(result.elected),
                quota=quota,
                threshold_percent=threshold,
                strict=strict,
                **counts,
            )
        )
        if problems or set(result.elected) != set(winners) or result.revote:
            return None
        return votes, set(result.elected)

    found = attempt(True) or attempt(False)
    assert found, f"no consistent tally for {len(order)} candidates"
    return counts, *found


def generate_awards(province: Province, users: list[User], rng: random.Random, created: Counter):
    """The latest year's meetings, ballots, proposals, appraisals and decisions, and the
    province's movements and exemplary models."""
    staff = users[0]
    forms = {f.code: f for f in AwardForm.objects.all()}
    flag_form, merit_form = forms["co-thi-dua-tinh"], forms["bang-khen-tinh"]
    ruleset = RuleSet.objects.get(province=province, year=LAST_YEAR)
    secretaries = dict(
        RoleAssignment.objects.filter(
            province=province, role=Role.CLUSTER_SECRETARY, cluster_year__year=LAST_YEAR
        ).values_list("cluster_year_id", "user_id")
    )
    # The ranking of every term's annual period decides the candidates' order and winners.
    rankings = {r.cluster_year.pk: r.rows for r in province_year_rankings(province, LAST_YEAR)}
    terms = list(
        ClusterYear.objects.filter(cluster__province=province, year=LAST_YEAR)
        .select_related("cluster", "head_unit", "deputy_unit")
        .order_by("cluster__kind", "cluster__number")
    )
    members_of = defaultdict(list)
    for membership in Membership.objects.filter(cluster_year__in=terms).select_related("unit"):
        members_of[membership.cluster_year_id].append(membership.unit)
    biggest = biggest_term(terms)
    # Half of the terms are appraised and decided. The measured term is in the other
    # half: the province returned its proposal for completion, so that its ballots and
    # proposal are open again and every page of the deliberation answers (a submitted
    # proposal closes the ballots).
    decided = {term.pk for index, term in enumerate(terms) if index % 2 != terms.index(biggest) % 2}

    meetings, attendance, sections, commendations = [], [], [], []
    plans = []  # (term, members, deliberation meeting, its day)
    for index, term in enumerate(terms):
        members = sorted(members_of[term.pk], key=lambda u: (u.sort_key, u.pk))
        if not members:
            continue
        head = term.head_unit or members[0]
        deputy = term.deputy_unit or members[-1]
        guest = f"{person(rng)}, Phó Trưởng Ban Thi đua - Khen thưởng, Sở Nội vụ"
        guests = f"{guest}\n{term.supervisor_name}, {term.supervisor_position}"
        annual_day = ANNUAL_FIRST_DAY + datetime.timedelta(days=index % ANNUAL_SPREAD)
        specs = [
            (
                Meeting.Kind.SIX_MONTH_REVIEW,
                SIX_MONTH_FIRST_DAY + datetime.timedelta(days=index % SIX_MONTH_SPREAD),
                (datetime.time(8, 0), datetime.time(11, 0)),
            ),
            (Meeting.Kind.ANNUAL_REVIEW, annual_day, (datetime.time(8, 0), datetime.time(11, 0))),
            (Meeting.Kind.DELIBERATION, annual_day, (datetime.time(14, 0), datetime.time(16, 30))),
        ]
        term_meetings = []
        for kind, day, (start, end) in specs:
            delegates = {unit.pk: delegate_lines(unit, rng) for unit in members}
            annual = kind == Meeting.Kind.ANNUAL_REVIEW
            meeting = Meeting(
                cluster_year=term,
                kind=kind,
                date=day,
                start_time=start,
                end_time=end,
                venue=f"Hội trường {head.name}",
                host_unit=head,
                # The chair is the head unit's leading delegate, as the rules require.
                chair_name=delegates[head.pk][0],
                chair_position=f"Cụm trưởng {term.cluster.name}",
                secretary_name=term.secretary_name,
                secretary_position=term.secretary_position or "Thư ký Cụm",
                guests=guests,
                next_head_unit=deputy if annual else None,
                next_deputy_unit=head if annual and head != deputy else None,
                next_host_unit=deputy if annual else None,
                approval_percent=Decimal(100),
            )
            term_meetings.append((meeting, delegates))
        # One member, not the host, is excused from the six-month review, from five on.
        absent = next((u for u in reversed(members) if u != head), None)
        absent = absent if len(members) >= 5 else None
        for meeting, delegates in term_meetings:
            for unit in members:
                here = not (meeting.kind == Meeting.Kind.SIX_MONTH_REVIEW and unit == absent)
                attendance.append(
                    Attendance(
                        meeting=meeting,
                        unit=unit,
                        present=here,
                        delegates=delegates[unit.pk][1] if here else "",
                    )
                )
            if meeting.kind == Meeting.Kind.DELIBERATION:
                parts = [
                    (
                        Section.REPORT,
                        f"Thông qua kết quả chấm điểm, xếp hạng năm {term.year}",
                        f"Thư ký Cụm công bố kết quả chấm điểm chéo và xếp hạng {len(members)} "
                        "đơn vị thành viên; hội nghị thống nhất danh sách đề cử theo thứ tự "
                        "xếp hạng.",
                    ),
                    (
                        Section.CONCLUSIONS,
                        "Kết quả bình xét, suy tôn",
                        "Hội nghị bỏ phiếu kín suy tôn đơn vị dẫn đầu đề nghị tặng Cờ thi đua "
                        "và bình xét đơn vị đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh.",
                    ),
                ]
            else:
                parts = review_sections(meeting.kind, term, head, guest, members, rng)
                for number, unit in enumerate(rng.sample(members, min(4, len(members)))):
                    collective = meeting.kind == Meeting.Kind.ANNUAL_REVIEW and number < 2
                    commendations.append(
                        MeetingCommendation(
                            meeting=meeting,
                            recipient_name=unit.name if collective else person(rng),
                            recipient_unit=unit,
                            collective=collective,
                            form="Bằng khen của Chủ tịch UBND tỉnh" if collective else "Giấy khen",
                            issuer="Chủ tịch UBND tỉnh" if collective else issuer_of(unit),
                            decision_ref=f"Quyết định số {rng.randrange(100, 2400)}/QĐ-UBND",
                        )
                    )
            for position, (kind, title, body) in enumerate(parts):
                sections.append(
                    MeetingSection(
                        meeting=meeting, kind=kind, position=position, title=title, body=body
                    )
                )
            meetings.append(meeting)
        plans.append((term, members, term_meetings[-1][0], annual_day))

    when = timezone.make_aware(datetime.datetime(LAST_YEAR, 11, 12, 17, 0))
    bulk_create_with_history(meetings, Meeting, default_user=staff, default_date=when)
    bulk_create_with_history(attendance, Attendance, default_user=staff, default_date=when)
    bulk_create_with_history(sections, MeetingSection, default_user=staff, default_date=when)
    bulk_create_with_history(
        commendations, MeetingCommendation, default_user=staff, default_date=when
    )
    created["meetings"] += len(meetings)
    created["attendance rows"] += len(attendance)
    created["meeting sections"] += len(sections)
    created["commendations handed out"] += len(commendations)

    # Ballots at each deliberation, and the proposal that follows them.
    ballots, candidates, proposals, items = [], [], [], []
    for term, members, meeting, annual_day in plans:
        rows = rankings.get(term.pk) or []
        member_ids = {u.pk for u in members}
        order = [r.result.key for r in rows if r.result.key in member_ids]
        order += [u.pk for u in members if u.pk not in order]
        ranked = [r.result.key for r in rows if not r.result.vetoed and r.result.key in member_ids]
        ranked += [u for u in order if u not in ranked]
        by_unit = {r.result.key: r for r in rows}
        winners = {
            flag_form.pk: ranked[: ruleset.flag_quota],
            merit_form.pk: ranked[ruleset.flag_quota : ruleset.flag_quota + ruleset.merit_quota],
        }
        committee = "\n".join(
            [
                f"Trưởng ban: {person(rng)}, {term.secretary_position or 'Thư ký Cụm'}",
                f"Thành viên: {person(rng)}, {members[0].name}",
                f"Thành viên: {person(rng)}, {members[-1].name}",
            ]
        )
        submitted = timezone.make_aware(
            datetime.datetime.combine(annual_day + SUBMITTED_AFTER, datetime.time(9, 30))
        )
        proposal = Proposal(
            cluster_year=term,
            state=(
                Proposal.State.PROCESSED
                if term.pk in decided
                else Proposal.State.RETURNED
                if term == biggest
                else Proposal.State.SUBMITTED
            ),
            return_reason=RETURN_REASON if term == biggest else "",
            number=f"{rng.randrange(10, 60)}/TTr-{term.cluster.symbol}",
            submitted_at=submitted,
            submitted_by_id=secretaries.get(term.pk, staff.pk),
        )
        proposals.append(proposal)
        quotas = ((flag_form, ruleset.flag_quota), (merit_form, ruleset.merit_quota))
        for award_form, quota in quotas:
            chosen = winners[award_form.pk]
            if not chosen:
                continue
            skip = set(winners[flag_form.pk]) if award_form == merit_form else set()
            counts, votes, elected = tally(
                order, chosen, quota, len(members), len(members), ruleset, skip
            )
            ballot = Ballot(
                meeting=meeting,
                award_form=award_form,
                round=1,
                quota=quota,
                threshold_percent=ruleset.ballot_threshold_percent,
                members_total=len(members),
                present=len(members),
                tally_committee=committee,
                **counts,
            )
            ballots.append(ballot)
            for position, unit_id in enumerate(order, start=1):
                candidates.append(
                    BallotCandidate(
                        ballot=ballot,
                        unit_id=unit_id,
                        position=position,
                        votes=votes[unit_id],
                        elected=unit_id in elected,
                    )
                )
            for unit_id in chosen:
                row = by_unit.get(unit_id)
                # The flag needs the leading unit to be eligible (Law Art. 26); where it is
                # not, provincial staff accepted it with a written reason before submission.
                override = ""
                if award_form == flag_form and not (row and row.flag_candidate):
                    override = OVERRIDE_REASON
                items.append(
                    ProposalItem(
                        proposal=proposal,
                        unit_id=unit_id,
                        award_form=award_form,
                        score=row.result.final if row else None,
                        rank=row.rank if row else None,
                        vote_percent=award_rules.vote_percent(votes[unit_id], len(members)),
                        override_reason=override,
                        appraisal=(
                            ProposalItem.Appraisal.ACCEPTED
                            if term.pk in decided
                            else ProposalItem.Appraisal.PENDING
                        ),
                    )
                )

    when = timezone.make_aware(datetime.datetime(LAST_YEAR, 11, 12, 17, 30))
    bulk_create_with_history(ballots, Ballot, default_user=staff, default_date=when)
    bulk_create_with_history(candidates, BallotCandidate, default_user=staff, default_date=when)
    when = timezone.make_aware(datetime.datetime(LAST_YEAR, 11, 16, 9, 30))
    bulk_create_with_history(proposals, Proposal, default_user=staff, default_date=when)
    bulk_create_with_history(items, ProposalItem, default_user=staff, default_date=when)
    created["ballots"] += len(ballots)
    created["ballot candidates"] += len(candidates)
    created["proposals"] += len(proposals)
    created["proposed items"] += len(items)

    # The chairman's decisions: one per award form, for the accepted items.
    cluster_of = {term.pk: term.cluster for term in terms}
    proposal_term = {p.pk: p.cluster_year_id for p in proposals}
    decisions, recipients = [], []
    for award_form in (flag_form, merit_form):
        accepted = [
            i
            for i in items
            if i.award_form_id == award_form.pk and i.appraisal == ProposalItem.Appraisal.ACCEPTED
        ]
        if not accepted:
            continue
        base_salary, multiple = decision_services.reference_values(award_form, DECISION_DAY)
        decision = AwardDecision(
            province=province,
            number=DECISION_NUMBERS[award_form.code],
            date=DECISION_DAY,
            award_form=award_form,
            authority_prefix=AwardDecision.Prefix.KT,
            signer_name=person(rng),
            signer_position="Phó Chủ tịch",
            base_salary=base_salary,
            multiple=multiple,
        )
        decisions.append(decision)
        amount = award_rules.cash_amount(multiple, base_salary)
        for item in accepted:
            cluster = cluster_of[proposal_term[item.proposal_id]]
            recipients.append(
                AwardRecipient(
                    decision=decision,
                    unit_id=item.unit_id,
                    proposal_item=item,
                    year=LAST_YEAR,
                    citation=decision_services.citation(award_form, cluster.name, LAST_YEAR),
                    amount=amount,
                )
            )
    when = timezone.make_aware(datetime.datetime.combine(DECISION_DAY, datetime.time(16, 0)))
    bulk_create_with_history(decisions, AwardDecision, default_user=staff, default_date=when)
    bulk_create_with_history(recipients, AwardRecipient, default_user=staff, default_date=when)
    created["award decisions"] += len(decisions)
    created["award recipients"] += len(recipients)

    generate_movements(province, staff, rng, created)


def generate_movements(province: Province, staff: User, rng: random.Random, created: Counter):
    """20 movements (four yearly regular ones for the whole province, the others thematic
    with some of the clusters) and 300 exemplary models linked to units and movements."""
    clusters = list(Cluster.objects.filter(province=province).order_by("kind", "number"))
    movements = []
    for year in range(LAST_YEAR - 3, LAST_YEAR + 1):
        movements.append(
            (
                Movement(
                    kind=Movement.Kind.REGULAR,
                    name=f"Phong trào thi đua yêu nước năm {year}",
                    launched_on=datetime.date(year, 1, 15),
                    start=datetime.date(year, 1, 1),
                    end=datetime.date(year, 12, 31),
                ),
                [],
            )
        )
    for number, name in enumerate(THEMATIC_MOVEMENTS):
        launched = datetime.date(LAST_YEAR - 5 + number % 6, 1 + number % 12, 10)
        chosen = rng.sample(clusters, max(1, len(clusters) // 4))
        movements.append(
            (
                Movement(
                    kind=Movement.Kind.THEMATIC,
                    name=name,
                    launched_on=launched,
                    start=launched,
                    end=datetime.date(launched.year + 5, 12, 31) if number % 3 else None,
                ),
                chosen,
            )
        )
    for movement, _clusters in movements:
        movement.province = province
        movement.launched_by = "Chủ tịch Ủy ban nhân dân tỉnh"
        movement.description = (
            f"Phát động trong toàn tỉnh; các cụm, khối thi đua đăng ký, sơ kết và báo cáo kết "
            f"quả thực hiện phong trào “{movement.name}”."
        )
    when = timezone.make_aware(datetime.datetime(LAST_YEAR, 1, 20, 9, 0))
    saved = bulk_create_with_history(
        [m for m, _c in movements], Movement, default_user=staff, default_date=when
    )
    through = Movement.clusters.through
    links = [
        through(movement_id=movement.pk, cluster_id=cluster.pk)
        for movement, (_m, chosen) in zip(saved, movements, strict=True)
        for cluster in chosen
    ]
    through.objects.bulk_create(links)
    # The "created" records keep the snapshot of the clusters, as a saved form would.
    records = {r.id: r for r in Movement.history.filter(id__in=[m.pk for m in saved])}
    MovementClusterHistory.objects.bulk_create(
        MovementClusterHistory(
            id=link.pk,
            history=records[link.movement_id],
            movement_id=link.movement_id,
            cluster_id=link.cluster_id,
        )
        for link in links
    )
    created["movements"] += len(saved)
    created["movement clusters"] += len(links)

    units = list(Unit.objects.filter(province=province).order_by("pk"))
    first, last = datetime.date(LAST_YEAR - 8, 1, 1), datetime.date(LAST_YEAR, 11, 15)
    models = []
    while len(models) < 300:
        kind = rng.choice(list(ExemplaryModel.Kind))
        day = first + datetime.timedelta(days=rng.randrange((last - first).days))
        unit = rng.choice(units) if rng.random() < 0.9 else None
        if unit is not None and not unit.exists_on(day):
            continue
        movement = rng.choice(saved) if rng.random() < 0.7 else None
        title = rng.choice(EXEMPLARY_TITLES[kind]).format(
            movement=movement.name if movement else "thi đua yêu nước",
            year=day.year,
            field=rng.choice(FIELDS),
        )
        models.append(
            ExemplaryModel(
                province=province,
                kind=kind,
                title=title[:300],
                unit=unit,
                person_name=person(rng) if kind == ExemplaryModel.Kind.GOOD_DEED else "",
                movement=movement,
                recognised_on=day,
                recognised_by=rng.choice(
                    ["Chủ tịch UBND tỉnh", "Hội đồng Thi đua - Khen thưởng tỉnh", "Sở Nội vụ"]
                ),
                description="Được biểu dương, nhân rộng trong toàn tỉnh.",
            )
        )
    bulk_create_with_history(models, ExemplaryModel, default_user=staff, default_date=when)
    created["exemplary models"] += len(models)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clusters", type=int, default=40, help="clusters and blocs (40)")
    parser.add_argument("--units", type=int, default=600, help="units, including new ones (600)")
    parser.add_argument(
        "--years", type=int, default=10, help=f"terms per cluster, up to {LAST_YEAR}"
    )
    parser.add_argument("--province-name", default="Tỉnh Benchmark")
    parser.add_argument("--seed", type=int, default=2025, help="random seed (2025)")
    options = parser.parse_args()
    if options.clusters < 1 or options.years < 1 or options.units < 2 * options.clusters:
        parser.error("need at least one cluster and year, and two units per cluster")

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    usernames = ["bench_staff", "bench_leader"] + [
        f"bench_secretary_{n:02d}" for n in range(1, options.clusters + 1)
    ]
    with transaction.atomic():
        delete_province(options.province_name, usernames)
        deleted_at = time.perf_counter()
        created = generate(options)
        page_cache.bump()  # a server running on this database must not show the old data
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # the planner's statistics of the new rows
    finished = time.perf_counter()

    database = connection.settings_dict["NAME"]
    print(f"{options.province_name} on {connection.vendor} ({database}):")
    for what, count in created.items():
        print(f"  {count:6d} {what}")
    print(f"Users bench_staff, bench_leader, bench_secretary_01.. (password {PASSWORD}).")
    print(
        f"Took {finished - started:.1f} s "
        f"(migrate and delete {deleted_at - started:.1f} s, create {finished - deleted_at:.1f} s)."
    )


if __name__ == "__main__":
    main()
