"""Plain factories with valid defaults; each test shows the data it depends on."""

import datetime
import itertools

from clusters import services
from clusters.models import (
    Cluster,
    ClusterYear,
    Membership,
    Province,
    RoleAssignment,
    Unit,
    User,
)

_counter = itertools.count(1)


def make_province(**overrides) -> Province:
    data = {"name": "Đồng Tháp", "code": "87", "authority_name": "UBND TỈNH ĐỒNG THÁP"}
    data.update(overrides)
    return Province.objects.create(**data)


def make_unit(province: Province, **overrides) -> Unit:
    n = next(_counter)
    data = {"kind": Unit.Kind.DISTRICT, "name": f"Huyện {n}", "code": f"U{n:04d}"}
    data.update(overrides)
    return services.unit_create(province=province, unit=Unit(**data))


def make_cluster(province: Province, **overrides) -> Cluster:
    n = next(_counter)
    data = {"kind": Cluster.Kind.CLUSTER, "number": n, "name": f"Cụm thi đua số {n}"}
    data.update(overrides)
    return Cluster.objects.create(province=province, **data)


def make_cluster_year(cluster: Cluster, year: int = 2022, members=(), **overrides) -> ClusterYear:
    term = ClusterYear.objects.create(cluster=cluster, year=year, **overrides)
    for unit in members:
        Membership.objects.create(cluster_year=term, unit=unit)
    return term


def make_user(username: str, *roles: dict, **overrides) -> User:
    """A user in the province of their first role, with those roles."""
    if roles:
        overrides.setdefault("province", roles[0]["province"])
    user = User.objects.create_user(username=username, password="pw-" + username, **overrides)
    for role in roles:
        RoleAssignment.objects.create(user=user, **role)
    return user


def day(text: str) -> datetime.date:
    """dd/mm/yyyy, as users type it."""
    return datetime.datetime.strptime(text, "%d/%m/%Y").date()
