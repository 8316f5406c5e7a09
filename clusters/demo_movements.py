"""Demo movements and exemplary models from the two source articles
(../shared/docs/sources/), loaded by `load_demo` after the units and score sheets.

- Đồng Tháp 2022: Cụm thi đua số 3 ran its movement of the year under the motto
  “Đồng thuận cao, thi đua giỏi, về đích sớm” and presented creative “người thật, việc
  thật” models through video and reportage (the six-month review of 26/7/2022). The
  models' titles, dates and recognising bodies are illustrative.
- Tây Ninh 2024: the Chairman of the Provincial People's Committee called on the blocs
  (article of 17/05/2024) to pursue the movement for the socio-economic tasks, defence
  and security of 2024 and the movement to build new rural areas, and to discover and
  spread exemplary models. The models of the blocs' members are illustrative.

The criteria that count exemplary models (3.3 of the district sheet, 11 of the bloc
sheet) are marked to read the register. Loading twice changes nothing.
"""

import datetime

from django.db import transaction

from . import exemplary
from .models import Cluster, Criterion, ExemplaryModel, Movement, Province, Unit

D = datetime.date
EXEMPLAR = ExemplaryModel.Kind.EXEMPLAR
GOOD_DEED = ExemplaryModel.Kind.GOOD_DEED
NEW_MODEL = ExemplaryModel.Kind.NEW_MODEL

DONG_THAP_MOVEMENT = {
    "name": "Phong trào thi đua năm 2022 của Cụm thi đua số 3: “Đồng thuận cao, thi đua giỏi, "
    "về đích sớm”",
    "kind": Movement.Kind.REGULAR,
    "start": D(2022, 1, 1),
    "end": D(2022, 12, 31),
    "description": (
        "Phương châm “Đồng thuận cao, thi đua giỏi, về đích sớm”. Các phong trào thi đua bám "
        "sát nhiệm vụ chính trị của địa phương, tập trung hướng về cấp cơ sở, người lao động "
        "trực tiếp; tổ chức nêu gương, giới thiệu các mô hình sáng tạo “người thật, việc thật” "
        "thông qua hình ảnh hoá bằng video, phóng sự hoặc chia sẻ trực tiếp. Sơ kết 6 tháng "
        "đầu năm tại huyện Tân Hồng ngày 26/7/2022."
    ),
}

# (district code, kind, title, person, recognised on, recognised by): all illustrative.
DONG_THAP_MODELS = [
    ("869", NEW_MODEL, "Phóng sự “người thật, việc thật”: mô hình trồng sen kết hợp du lịch "
     "sinh thái ở vùng biên giới", "", D(2022, 4, 15), "UBND huyện Tân Hồng"),
    ("869", GOOD_DEED, "Video “người thật, việc thật”: tổ tự quản đường biên, cột mốc",
     "", D(2022, 5, 20), "UBND huyện Tân Hồng"),
    ("869", EXEMPLAR, "Gương nông dân sản xuất, kinh doanh giỏi giúp đỡ hộ nghèo",
     "Ông Nguyễn Văn Tâm", D(2022, 6, 28), "UBND huyện Tân Hồng"),
    ("870", NEW_MODEL, "Phóng sự: hợp tác xã nông nghiệp ứng dụng cơ giới hóa đồng bộ",
     "", D(2022, 5, 10), "UBND huyện Hồng Ngự"),
    ("870", GOOD_DEED, "Video “người thật, việc thật”: hiến đất làm đường giao thông nông thôn",
     "Bà Trần Thị Hoa", D(2022, 6, 15), "UBND huyện Hồng Ngự"),
    ("871", NEW_MODEL, "Phóng sự: mô hình nuôi cá đồng mùa nước nổi", "", D(2022, 6, 3),
     "UBND huyện Tam Nông"),
    ("871", EXEMPLAR, "Chia sẻ trực tiếp: gương cán bộ cơ sở tận tụy với dân", "Ông Lê Văn Bình",
     D(2022, 7, 20), "UBND huyện Tam Nông"),
    ("872", GOOD_DEED, "Video “người thật, việc thật”: bếp ăn từ thiện tại trung tâm y tế",
     "Nhóm thiện nguyện xã Tân Long", D(2022, 3, 30), "UBND huyện Thanh Bình"),
]  # fmt: skip

TAY_NINH_MOVEMENTS = [
    {
        "name": "Phong trào thi đua thực hiện thắng lợi nhiệm vụ phát triển kinh tế - xã hội, "
        "đảm bảo quốc phòng - an ninh năm 2024",
        "kind": Movement.Kind.REGULAR,
        "launched_by": "Chủ tịch UBND tỉnh",
        "launched_on": D(2024, 5, 17),
        "start": D(2024, 5, 17),
        "end": D(2024, 12, 31),
        "description": (
            "Chủ tịch UBND tỉnh đề nghị các Khối Thi đua, các cơ quan, đơn vị, địa phương, "
            "doanh nghiệp, trường học thực hiện quyết liệt, hiệu quả các Nghị quyết của Tỉnh "
            "ủy, HĐND tỉnh về phát triển kinh tế - xã hội năm 2024 để phát động, thực hiện các "
            "phong trào thi đua yêu nước; tăng cường tuyên truyền, nhân rộng gương điển hình "
            "tiên tiến, mô hình mới, nhân tố mới năm 2024."
        ),
    },
    {
        "name": "Phong trào thi đua xây dựng nông thôn mới",
        "kind": Movement.Kind.THEMATIC,
        "description": "Nêu trong chỉ đạo của Chủ tịch UBND tỉnh ngày 17/05/2024: “thi đua "
        "trong phong trào xây dựng nông thôn mới”.",
    },
]

# (member unit, kind, title, person, recognised on, movement index): all illustrative.
TAY_NINH_MODELS = [
    ("Sở Nội vụ", NEW_MODEL, "Mô hình số hóa hồ sơ đề nghị khen thưởng của các Khối thi đua",
     "", D(2024, 6, 20), 0),
    ("Sở Y tế", EXEMPLAR, "Gương bác sĩ tình nguyện khám bệnh cho người dân vùng biên giới",
     "BS. Phạm Minh Đức", D(2024, 7, 5), 0),
    ("Hội Nông dân tỉnh", EXEMPLAR, "Nông dân sản xuất, kinh doanh giỏi góp sức xây dựng "
     "nông thôn mới", "Ông Võ Văn Sáu", D(2024, 8, 12), 1),
    ("Hội Liên hiệp Phụ nữ tỉnh", NEW_MODEL, "Mô hình “Chi hội phụ nữ 5 không 3 sạch” ở ấp "
     "nông thôn mới", "", D(2024, 9, 9), 1),
    ("Tỉnh Đoàn", GOOD_DEED, "Đội thanh niên tình nguyện sửa nhà cho hộ nghèo", "",
     D(2024, 7, 27), 1),
    ("Công ty Điện lực Tây Ninh", NEW_MODEL, "Mô hình thắp sáng đường quê", "",
     D(2024, 10, 1), 1),
]  # fmt: skip

# Criteria of the demo score sheets that count the register (see clusters.exemplary).
COUNTING_CRITERIA = {"Đồng Tháp": "3.3", "Tây Ninh": "11"}


def _movement(province: Province, clusters: list[Cluster], **fields) -> Movement:
    existing = Movement.objects.filter(province=province, name=fields["name"]).first()
    if existing:
        return existing
    return exemplary.movement_save(
        movement=Movement(**fields), province=province, clusters=clusters
    )


def _model(province: Province, unit: Unit | None, **fields) -> None:
    if ExemplaryModel.objects.filter(province=province, unit=unit, title=fields["title"]).exists():
        return
    exemplary.exemplary_model_save(
        model=ExemplaryModel(unit=unit, illustrative=True, **fields), province=province
    )


def _mark_counting_criteria(province: Province) -> None:
    code = COUNTING_CRITERIA.get(province.name)
    for criterion in Criterion.objects.filter(
        sheet__province=province, code=code, kind=Criterion.Kind.PER_ITEM
    ):
        if (criterion.params or {}).get("counts") != exemplary.COUNTS_EXEMPLARY:
            criterion.params = {**(criterion.params or {}), "counts": exemplary.COUNTS_EXEMPLARY}
            criterion.save(update_fields=["params"])


@transaction.atomic
def load(dong_thap: Province, tay_ninh: Province) -> None:
    """Create or complete the demo movements and models of both provinces."""
    cluster3 = Cluster.objects.filter(province=dong_thap, name="Cụm thi đua số 3").first()
    movement = _movement(dong_thap, [cluster3] if cluster3 else [], **DONG_THAP_MOVEMENT)
    districts = {
        u.code: u
        for u in Unit.objects.filter(province=dong_thap, code__in=["869", "870", "871", "872"])
    }
    for code, kind, title, person, day, by in DONG_THAP_MODELS:
        if code in districts:
            _model(
                dong_thap,
                districts[code],
                kind=kind,
                title=title,
                person_name=person,
                recognised_on=day,
                recognised_by=by,
                movement=movement,
            )

    blocs = list(Cluster.objects.filter(province=tay_ninh, kind=Cluster.Kind.BLOC))
    movements = [_movement(tay_ninh, blocs, **fields) for fields in TAY_NINH_MOVEMENTS]
    names = [row[0] for row in TAY_NINH_MODELS]
    units = {u.name: u for u in Unit.objects.filter(province=tay_ninh, name__in=names)}
    for name, kind, title, person, day, index in TAY_NINH_MODELS:
        if name in units:
            _model(
                tay_ninh,
                units[name],
                kind=kind,
                title=title,
                person_name=person,
                recognised_on=day,
                recognised_by="UBND tỉnh Tây Ninh",
                movement=movements[index],
            )

    _mark_counting_criteria(dong_thap)
    _mark_counting_criteria(tay_ninh)
