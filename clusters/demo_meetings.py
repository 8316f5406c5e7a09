"""Demo meetings of Cụm thi đua số 3 (Đồng Tháp) in 2022, called by clusters.demo.

- The six-month review held on the afternoon of 26/7/2022 in Huyện Tân Hồng, from the
  source article ../shared/docs/sources/000_7243cb83f18e63ca.txt: its content split
  into ordered sections, all four members present, and the four individuals commended.
  The article names neither the delegates nor the commended individuals nor who issued
  the commendations; those parts are illustrative and say so in their text ("minh
  họa"). The article says the four were commended by "Cụm thi đua"; a cluster has no
  power to award (Law 06/2022 Art. 74–75), so an illustrative competent authority is
  recorded as the issuer. The article gives no clock times, so none are recorded; its
  obvious typos (chia sẽ, thư đua, mở mức, củng như) are corrected.
- A covenant signing and an annual review of the same year, wholly illustrative; the
  annual review is held in January of the next year, as the rules allow.

Loading twice changes nothing: a meeting is looked up by its term, kind and date, and
left as it is when it exists.
"""

import datetime

from .meeting_services import attendance_save, commendation_save, meeting_save, section_save
from .models import (
    ClusterYear,
    Meeting,
    MeetingCommendation,
    MeetingSection,
    Province,
    Unit,
)

Kind = Meeting.Kind
Section = MeetingSection.Kind

SOURCE = "000_7243cb83f18e63ca.txt"
ILLUSTRATIVE = "(minh họa)"

# District code → its name in the delegates' lines.
MEMBERS = {
    "869": "huyện Tân Hồng",
    "870": "huyện Hồng Ngự",
    "871": "huyện Tam Nông",
    "872": "huyện Thanh Bình",
}
CHAIR = f"Lãnh đạo UBND huyện Tân Hồng {ILLUSTRATIVE}"
SECRETARY = f"Cán bộ thi đua, khen thưởng huyện Tân Hồng {ILLUSTRATIVE}"
GUEST = f"Đại diện Ban Thi đua - Khen thưởng, Sở Nội vụ tỉnh Đồng Tháp {ILLUSTRATIVE}"

# The sections of the six-month review, in the order of the article.
SIX_MONTH_SECTIONS = [
    (
        Section.REPORT,
        "Khai mạc hội nghị",
        "Chiều ngày 26/7/2022, tại huyện Tân Hồng, Cụm thi đua số 03 - tỉnh Đồng Tháp gồm "
        "huyện Tân Hồng, Hồng Ngự, Tam Nông và Thanh Bình tổ chức hội nghị sơ kết công tác "
        "6 tháng đầu năm và đề ra phương hướng nhiệm vụ trọng tâm trong 6 tháng cuối năm 2022.",
    ),
    (
        Section.RESULTS,
        "Kết quả đạt được 6 tháng đầu năm 2022",
        "Nhìn chung, 6 tháng đầu năm 2022 hoạt động của cụm thi đua số 3 - tỉnh Đồng Tháp thi "
        "đua phát huy hiệu quả tích cực, tạo sự cạnh tranh và không khí thi đua sôi nổi giữa "
        "các cơ quan, đơn vị, địa phương với phương châm “Đồng thuận cao, thi đua giỏi, về "
        "đích sớm”.\n"
        "Các phong trào thi đua bám sát nhiệm vụ chính trị của địa phương, đúng trọng tâm, "
        "trọng điểm, với phương thức đa dạng, phù hợp thực tiễn và thu hút được sự tham gia "
        "của cả hệ thống chính trị, từ đó phát huy hiệu quả tích cực.\n"
        "Công tác tổ chức thực hiện phong trào thi đua được đổi mới, tập trung hướng về cấp "
        "cơ sở, người lao động trực tiếp.\n"
        "Ngoài ra công tác tổ chức nêu gương, giới thiệu các mô hình sáng tạo “người thật, "
        "việc thật” thông qua hình ảnh hoá bằng video, phóng sự hoặc chia sẻ trực tiếp sinh "
        "động, từ đó đưa phong trào thi đua yêu nước đến gần người dân, bằng các giải pháp "
        "hữu hiệu đó góp phần hoàn thành các chỉ tiêu phát triển kinh tế - xã hội địa phương.",
    ),
    (
        Section.LIMITATIONS,
        "Hạn chế, khó khăn",
        "Tuy nhiên trong quá trình thực hiện vẫn còn một số khó khăn nhất định như:\n"
        "- Tổ chức phát động thi đua yêu nước, thi đua chuyên đề còn bị động, hạn chế về quy "
        "mô và số lượng do bước vào giai đoạn phục hồi sau dịch;\n"
        "- Một số phong trào thi đua thực hiện chỉ tiêu phát triển kinh tế còn tăng chậm.",
    ),
    (
        Section.DISCUSSION,
        "Thảo luận",
        "Tại hội nghị, đại biểu các huyện cụm thi đua số 3 đóng góp và phân tích những mặt "
        "hạn chế cũng như các chỉ tiêu, nhiệm vụ cần thực hiện hoàn thành của 6 tháng cuối "
        "năm 2022.",
    ),
    (
        Section.DIRECTIONS,
        "Phương hướng, nhiệm vụ 6 tháng cuối năm 2022",
        "- Tập trung mọi nỗ lực, khắc phục khó khăn thách thức, tranh thủ cơ hội, đẩy mạnh "
        "sản xuất kinh doanh, phấn đấu đạt tốc độ tăng trưởng kinh tế ở mức cao, quyết tâm "
        "hoàn thành và hoàn thành vượt mức các chỉ tiêu đề ra trong năm 2022.\n"
        "- Tiếp tục đổi mới và nâng cao chất lượng công tác khen thưởng, chống biểu hiện hình "
        "thức, bệnh thành tích.\n"
        "- Tăng cường khen thưởng đơn vị cơ sở và người lao động trực tiếp.\n"
        "- Chú trọng các chỉ tiêu phát triển kinh tế - xã hội trong năm 2022 trong tổ chức, "
        "phát động các phong trào thi đua hoàn thành các chỉ tiêu và những chuyên đề thi đua "
        "đặc thù của địa phương.\n"
        "- Kịp thời tôn vinh, hỗ trợ cũng như tạo điều kiện để các nhân tố mới, mô hình, ý "
        "tưởng sáng tạo được áp dụng và phát triển trong thực tiễn cuộc sống.",
    ),
    (
        Section.CONCLUSIONS,
        "Kết luận",
        "Hội nghị thống nhất kết quả sơ kết 6 tháng đầu năm và phương hướng, nhiệm vụ trọng "
        "tâm 6 tháng cuối năm 2022 nêu trên.\n"
        "Dịp này, 4 cá nhân được khen thưởng vì có thành tích xuất sắc trong công tác thi "
        "đua, khen thưởng (người ký khen thưởng ghi trong bảng khen thưởng là minh họa: bài "
        "viết không nêu).",
    ),
]

ORDINALS = ["thứ nhất", "thứ hai", "thứ ba", "thứ tư"]

ILLUSTRATIVE_MEETINGS = [
    {
        "kind": Kind.COVENANT_SIGNING,
        "date": datetime.date(2022, 2, 25),
        "start_time": datetime.time(8, 0),
        "end_time": datetime.time(10, 30),
        "host": "869",
        "sections": [
            (
                Section.REPORT,
                "Nội dung giao ước thi đua năm 2022",
                f"Đại diện Cụm trưởng trình bày dự thảo giao ước thi đua năm 2022, chỉ tiêu "
                f"chủ yếu của từng đơn vị và bảng điểm chấm thi đua {ILLUSTRATIVE}.",
            ),
            (
                Section.CONCLUSIONS,
                "Ký kết giao ước",
                f"Bốn đơn vị thành viên thống nhất nội dung và ký kết giao ước thi đua năm "
                f"2022 {ILLUSTRATIVE}.",
            ),
        ],
        "next": None,
        "approval_percent": 100,
    },
    {
        "kind": Kind.ANNUAL_REVIEW,
        "date": datetime.date(2023, 1, 13),
        "start_time": datetime.time(8, 0),
        "end_time": datetime.time(11, 0),
        "host": "869",
        "sections": [
            (
                Section.REPORT,
                "Báo cáo tổng kết công tác thi đua, khen thưởng năm 2022",
                f"Cụm trưởng trình bày báo cáo tổng kết năm 2022 và kết quả chấm điểm, xếp "
                f"hạng của các đơn vị thành viên {ILLUSTRATIVE}.",
            ),
            (
                Section.GUIDANCE,
                "Ý kiến của Sở Nội vụ",
                f"Đại diện Ban Thi đua - Khen thưởng ghi nhận kết quả của Cụm và hướng dẫn "
                f"hồ sơ đề nghị khen thưởng {ILLUSTRATIVE}.",
            ),
            (
                Section.CONCLUSIONS,
                "Kết luận",
                f"Hội nghị thống nhất Huyện Hồng Ngự làm Cụm trưởng, Huyện Tam Nông làm Cụm "
                f"phó năm 2023; Huyện Hồng Ngự đăng cai hội nghị tiếp theo {ILLUSTRATIVE}.",
            ),
        ],
        "next": ("870", "871", "870"),
        "approval_percent": 100,
    },
]


def _delegates(name: str) -> str:
    return "\n".join(
        [
            f"Lãnh đạo UBND {name} {ILLUSTRATIVE}, Chủ tịch hoặc Phó Chủ tịch UBND {name}",
            f"Cán bộ thi đua, khen thưởng {name} {ILLUSTRATIVE}, Phòng Nội vụ {name}",
        ]
    )


def _meeting(term, units, *, kind, date, host, illustrative, user=None, **fields):
    """The meeting of the term of that kind on that date, created with every member
    present and their (illustrative) delegates if it does not exist yet."""
    existing = Meeting.objects.filter(cluster_year=term, kind=kind, date=date).first()
    if existing:
        return existing, False
    meeting = Meeting(
        cluster_year=term,
        kind=kind,
        date=date,
        venue=units[host].name,
        host_unit=units[host],
        secretary_name=SECRETARY,
        secretary_position="Thư ký Cụm",
        guests=GUEST,
        illustrative=illustrative,
        **fields,
    )
    meeting_save(meeting=meeting, user=user)
    rows = {units[code].pk: (True, _delegates(name)) for code, name in MEMBERS.items()}
    attendance_save(meeting=meeting, rows=rows, user=user)
    # The chair is recorded once the delegates are, as the rules require.
    meeting.chair_name = CHAIR
    meeting.chair_position = "Cụm trưởng Cụm thi đua số 3"
    meeting_save(meeting=meeting, user=user)
    return meeting, True


def _sections(meeting, sections) -> None:
    for kind, title, body in sections:
        section = MeetingSection(meeting=meeting, kind=kind, title=title, body=body)
        section_save(section=section, user=None)


def load(dong_thap: Province) -> None:
    """Record the demo meetings of Cụm thi đua số 3 in 2022 (once)."""
    term = ClusterYear.objects.filter(
        cluster__province=dong_thap, cluster__name="Cụm thi đua số 3", year=2022
    ).first()
    if term is None:
        return
    units = {u.code: u for u in Unit.objects.filter(province=dong_thap, code__in=MEMBERS)}
    if set(units) != set(MEMBERS):
        return

    review, created = _meeting(
        term,
        units,
        kind=Kind.SIX_MONTH_REVIEW,
        date=datetime.date(2022, 7, 26),
        host="869",
        illustrative=False,
    )
    if created:
        _sections(review, SIX_MONTH_SECTIONS)
        for ordinal in ORDINALS:
            commendation_save(
                commendation=MeetingCommendation(
                    meeting=review,
                    recipient_name=f"Cá nhân {ordinal} {ILLUSTRATIVE}",
                    form=f"Giấy khen {ILLUSTRATIVE}",
                    issuer=f"Chủ tịch UBND huyện Tân Hồng {ILLUSTRATIVE}",
                ),
                user=None,
            )

    for spec in ILLUSTRATIVE_MEETINGS:
        head, deputy, host = spec["next"] or (None, None, None)
        meeting, created = _meeting(
            term,
            units,
            kind=spec["kind"],
            date=spec["date"],
            host=spec["host"],
            illustrative=True,
            start_time=spec["start_time"],
            end_time=spec["end_time"],
            next_head_unit=units.get(head),
            next_deputy_unit=units.get(deputy),
            next_host_unit=units.get(host),
            approval_percent=spec["approval_percent"],
        )
        if created:
            _sections(meeting, spec["sections"])
