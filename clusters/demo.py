"""Demo data from the two source articles (../shared/docs/sources/), loaded by `load_demo`.

- Đồng Tháp before the 2025 reorganisation: Cụm thi đua số 3 (districts Tân Hồng,
  Hồng Ngự, Tam Nông, Thanh Bình), with terms 2022 to 2025; its six-month review was
  held on 26/7/2022 in Tân Hồng. Hồng Ngự was both a district and a city: both exist.
- The reorganisation of 1 July 2025: districts end on 30/06/2025, communes of the
  merged province start the next day, linked to the districts they came from, and a
  commune cluster takes over in 2025 and 2026.
- Tây Ninh in 2024: its emulation blocs with plausible member agencies.

Everything not named in the sources is marked illustrative. Loading twice changes
nothing: every object is looked up by its natural key first.
"""

import datetime

from django.db import transaction

from reports import demo as reports_demo

from . import (
    demo_ballots,
    demo_decisions,
    demo_meetings,
    demo_movements,
    demo_scoring,
    services,
)
from .models import (
    Cluster,
    ClusterYear,
    Membership,
    Province,
    RoleAssignment,
    Unit,
    UnitSuccession,
    User,
)

PASSWORD = "demo12345"
Kind = Unit.Kind
Role = RoleAssignment.Role

REORGANISATION_DAY = datetime.date(2025, 7, 1)
LAST_DISTRICT_DAY = datetime.date(2025, 6, 30)
REORGANISATION_BASIS = (
    "Nghị quyết của Ủy ban Thường vụ Quốc hội về việc sắp xếp các đơn vị hành chính "
    "cấp xã của tỉnh Đồng Tháp năm 2025"
)

# (code, name, kind, illustrative): GSO codes of the districts of the old province.
DONG_THAP_DISTRICTS = [
    ("868", "Thành phố Hồng Ngự", Kind.PROVINCIAL_CITY, False),
    ("869", "Huyện Tân Hồng", Kind.DISTRICT, False),
    ("870", "Huyện Hồng Ngự", Kind.DISTRICT, False),
    ("871", "Huyện Tam Nông", Kind.DISTRICT, False),
    ("872", "Huyện Thanh Bình", Kind.DISTRICT, False),
    ("873", "Huyện Cao Lãnh", Kind.DISTRICT, True),
    ("874", "Huyện Tháp Mười", Kind.DISTRICT, True),
    ("875", "Huyện Lấp Vò", Kind.DISTRICT, True),
    ("876", "Huyện Lai Vung", Kind.DISTRICT, True),
]
CLUSTER3_MEMBERS = ["869", "870", "871", "872"]
CLUSTER4_MEMBERS = ["873", "874", "875", "876"]
# Head and deputy of cluster 3 by year; Tân Hồng hosted the review of 26/7/2022.
CLUSTER3_HEADS = {2022: ("869", "870"), 2023: ("870", "871"), 2024: ("871", "872"),
                  2025: ("872", "869")}  # fmt: skip

# The communes each district's territory went to on 1 July 2025 (illustrative).
COMMUNES_FROM = {
    "868": [("Phường Hồng Ngự", Kind.WARD), ("Phường An Bình", Kind.WARD)],
    "869": [("Xã Tân Hồng", Kind.COMMUNE), ("Xã Tân Thành", Kind.COMMUNE),
            ("Xã Tân Hộ Cơ", Kind.COMMUNE)],
    "870": [("Xã Thường Phước", Kind.COMMUNE), ("Xã Long Khánh", Kind.COMMUNE)],
    "871": [("Xã Tam Nông", Kind.COMMUNE), ("Xã Phú Thọ", Kind.COMMUNE)],
    "872": [("Xã Thanh Bình", Kind.COMMUNE), ("Xã Tân Long", Kind.COMMUNE)],
}  # fmt: skip
COMMUNE_CLUSTER_MEMBERS = [
    "Phường Hồng Ngự", "Phường An Bình", "Xã Tân Hồng", "Xã Tân Thành",
    "Xã Thường Phước", "Xã Tam Nông", "Xã Thanh Bình",
]  # fmt: skip

# Tây Ninh's blocs of 2024 (names from the source) and their members (illustrative).
TAY_NINH_BLOCS = [
    ("Khối thi đua Tham mưu - Tổng hợp", Kind.DEPARTMENT, [
        "Văn phòng UBND tỉnh", "Sở Kế hoạch và Đầu tư", "Sở Tài chính", "Sở Nội vụ",
        "Sở Tư pháp", "Thanh tra tỉnh"]),
    ("Khối thi đua Văn hóa - Xã hội", Kind.DEPARTMENT, [
        "Sở Giáo dục và Đào tạo", "Sở Y tế", "Sở Văn hóa, Thể thao và Du lịch",
        "Sở Lao động - Thương binh và Xã hội", "Sở Thông tin và Truyền thông"]),
    ("Khối thi đua Mặt trận Tổ quốc và các tổ chức chính trị - xã hội",
     Kind.MASS_ORGANISATION, [
        "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "Hội Liên hiệp Phụ nữ tỉnh",
        "Tỉnh Đoàn", "Hội Nông dân tỉnh", "Hội Cựu chiến binh tỉnh"]),
    ("Khối thi đua Đơn vị sự nghiệp", Kind.PUBLIC_SERVICE, [
        "Báo Tây Ninh", "Đài Phát thanh và Truyền hình Tây Ninh", "Trường Cao đẳng Tây Ninh",
        "Ban Quản lý Vườn quốc gia Lò Gò - Xa Mát"]),
    ("Khối thi đua Doanh nghiệp", Kind.ENTERPRISE, [
        "Công ty TNHH MTV Xổ số kiến thiết Tây Ninh", "Công ty Điện lực Tây Ninh",
        "Công ty Cổ phần Cấp thoát nước Tây Ninh", "Công ty TNHH MTV Cao su 1-5 Tây Ninh"]),
]  # fmt: skip

# (username, full name, role, scope key)
ACCOUNTS = [
    ("canbo", "Chuyên viên Ban Thi đua - Khen thưởng", Role.PROVINCIAL_STAFF, "dong_thap"),
    ("lanhdao", "Lãnh đạo UBND tỉnh", Role.LEADER, "dong_thap"),
    ("cumtruong", "Cụm trưởng Cụm thi đua số 3", Role.CLUSTER_HEAD, "cluster3_2022"),
    ("thuky", "Thư ký Cụm thi đua số 3", Role.CLUSTER_SECRETARY, "cluster3_2022"),
    ("donvi", "Cán bộ đầu mối Huyện Tân Hồng", Role.MEMBER_OFFICER, "tan_hong"),
    ("tayninh", "Chuyên viên Ban Thi đua - Khen thưởng Tây Ninh", Role.PROVINCIAL_STAFF,
     "tay_ninh"),
]  # fmt: skip


def _unit(province, name, kind, *, code="", illustrative=False, valid_from=None, valid_to=None):
    existing = Unit.objects.filter(province=province, name=name, kind=kind).first()
    if existing:
        return existing
    unit = Unit(
        kind=kind,
        code=code,
        name=name,
        illustrative=illustrative,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    return services.unit_create(province=province, unit=unit)


def _term(cluster, year, members, *, head=None, deputy=None, member_from=None, member_to=None):
    term, _created = ClusterYear.objects.get_or_create(
        cluster=cluster,
        year=year,
        defaults={
            "head_unit": head,
            "deputy_unit": deputy,
            "header_parent": f"UBND TỈNH {cluster.province.name.upper()}",
            "header_name": cluster.name.upper(),
        },
    )
    for unit in members:
        Membership.objects.get_or_create(
            cluster_year=term,
            unit=unit,
            defaults={"valid_from": member_from, "valid_to": member_to},
        )
    return term


def _dong_thap():
    province, _created = Province.objects.get_or_create(
        name="Đồng Tháp", defaults={"code": "87", "authority_name": "UBND TỈNH ĐỒNG THÁP"}
    )
    districts = {
        code: _unit(
            province,
            name,
            kind,
            code=code,
            illustrative=illustrative,
            # Districts with recorded successors are closed by the reorganisation below.
            valid_to=None if code in COMMUNES_FROM else LAST_DISTRICT_DAY,
        )
        for code, name, kind, illustrative in DONG_THAP_DISTRICTS
    }

    cluster3, _created = Cluster.objects.get_or_create(
        province=province,
        name="Cụm thi đua số 3",
        defaults={
            "kind": Cluster.Kind.CLUSTER,
            "number": 3,
            "symbol": "CTĐ3",
            "valid_to": LAST_DISTRICT_DAY,
        },
    )
    members3 = [districts[code] for code in CLUSTER3_MEMBERS]
    terms = {}
    for year, (head, deputy) in CLUSTER3_HEADS.items():
        terms[year] = _term(
            cluster3,
            year,
            members3,
            head=districts[head],
            deputy=districts[deputy],
            member_to=LAST_DISTRICT_DAY if year == 2025 else None,
        )

    cluster4, _created = Cluster.objects.get_or_create(
        province=province,
        name="Cụm thi đua số 4",
        defaults={
            "kind": Cluster.Kind.CLUSTER,
            "number": 4,
            "symbol": "CTĐ4",
            "valid_to": LAST_DISTRICT_DAY,
            "illustrative": True,
        },
    )
    members4 = [districts[code] for code in CLUSTER4_MEMBERS]
    _term(cluster4, 2022, members4, head=members4[0], deputy=members4[1])

    communes = {}
    for code, names in COMMUNES_FROM.items():
        successors = [
            _unit(province, name, kind, illustrative=True, valid_from=REORGANISATION_DAY)
            for name, kind in names
        ]
        communes.update((unit.name, unit) for unit in successors)
        if not UnitSuccession.objects.filter(predecessor=districts[code]).exists():
            services.reorganisation_record(
                kind=UnitSuccession.Kind.SPLIT,
                predecessors=[districts[code]],
                successors=successors,
                effective_date=REORGANISATION_DAY,
                legal_basis=REORGANISATION_BASIS,
                note="Kết thúc hoạt động của đơn vị hành chính cấp huyện",
            )

    commune_cluster, _created = Cluster.objects.get_or_create(
        province=province,
        name="Cụm thi đua xã, phường số 3",
        defaults={
            "kind": Cluster.Kind.CLUSTER,
            "number": 3,
            "symbol": "CTĐX3",
            "valid_from": REORGANISATION_DAY,
            "illustrative": True,
        },
    )
    members = [communes[name] for name in COMMUNE_CLUSTER_MEMBERS]
    _term(
        commune_cluster,
        2025,
        members,
        head=members[0],
        deputy=members[2],
        member_from=REORGANISATION_DAY,
    )
    _term(commune_cluster, 2026, members, head=members[2], deputy=members[0])
    return province, terms[2022], districts["869"]


def _tay_ninh():
    province, _created = Province.objects.get_or_create(
        name="Tây Ninh", defaults={"code": "72", "authority_name": "UBND TỈNH TÂY NINH"}
    )
    for number, (name, kind, member_names) in enumerate(TAY_NINH_BLOCS, start=1):
        bloc, _created = Cluster.objects.get_or_create(
            province=province,
            name=name,
            defaults={"kind": Cluster.Kind.BLOC, "number": number, "symbol": f"KTĐ{number}"},
        )
        members = [_unit(province, m, kind, illustrative=True) for m in member_names]
        _term(bloc, 2024, members, head=members[0], deputy=members[1])
    return province


def _account(username, full_name, province, role=None, **scope):
    user, _created = User.objects.get_or_create(
        username=username, defaults={"full_name": full_name, "province": province}
    )
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    if role:
        RoleAssignment.objects.get_or_create(user=user, role=role, province=province, **scope)
    return user


@transaction.atomic
def load() -> list[tuple[str, str]]:
    """Create or complete the demo data; returns (username, full name) of the accounts."""
    dong_thap, cluster3_2022, tan_hong = _dong_thap()
    tay_ninh = _tay_ninh()
    demo_scoring.load(dong_thap, tay_ninh)
    demo_meetings.load(dong_thap)
    demo_movements.load(dong_thap, tay_ninh)
    scopes = {
        "dong_thap": (dong_thap, {}),
        "tay_ninh": (tay_ninh, {}),
        "cluster3_2022": (dong_thap, {"cluster_year": cluster3_2022}),
        "tan_hong": (dong_thap, {"unit": tan_hong}),
    }
    accounts = []
    for username, full_name, role, scope in ACCOUNTS:
        province, fields = scopes[scope]
        user = _account(username, full_name, province, role, **fields)
        accounts.append((user.username, user.full_name))
    admin = _account("admin", "Quản trị hệ thống", None)
    if not admin.is_superuser:
        admin.is_superuser = admin.is_staff = True
        admin.save(update_fields=["is_superuser", "is_staff"])
    accounts.append((admin.username, admin.full_name))
    # The cycle's end needs the accounts: the secretary submits, staff decide.
    demo_ballots.load()
    demo_decisions.load(dong_thap)
    reports_demo.load()
    return accounts
