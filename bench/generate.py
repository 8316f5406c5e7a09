"""Fill the configured database with one synthetic province for the benchmark.

    python bench/generate.py --clusters 40 --units 600 --years 10

The province ("Tỉnh Benchmark" unless --province-name says otherwise) is deleted and
created again, so the script can be rerun. Units, clusters, terms and memberships are
bulk-created with one "created" history record each; the 2025 renamings and
reorganisations go through the real services, so they leave the same rows and history
as a user would. Users: bench_staff (provincial staff), bench_leader, and one
bench_secretary_NN per cluster for the latest year, all with the password bench12345.
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
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emulation.settings")
# DEBUG=1 lets the settings load without a SECRET_KEY; nothing is served here.
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402
from simple_history.models import HistoricalRecords  # noqa: E402
from simple_history.utils import bulk_create_with_history  # noqa: E402

from clusters import services  # noqa: E402
from clusters.models import (  # noqa: E402
    Cluster,
    ClusterYear,
    Membership,
    Province,
    RoleAssignment,
    RuleSet,
    ScoreSheet,
    Unit,
    UnitName,
    UnitSuccession,
    User,
)

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
            # Terms cascade to memberships, cluster roles, periods, covenants and scores.
            ClusterYear.objects.filter(pk__in=term_ids).delete()
            Cluster.objects.filter(pk__in=cluster_ids).delete()
            UnitSuccession.objects.filter(
                Q(predecessor__province=province) | Q(successor__province=province)
            ).delete()
            Membership.objects.filter(unit__province=province).delete()
            # Units cascade to their names and to member officers' roles.
            Unit.objects.filter(pk__in=unit_ids).delete()
            ScoreSheet.objects.filter(province=province).delete()
            RuleSet.objects.filter(province=province).delete()
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
