"""Shared fixtures: two provinces, two clusters and the cast of users.

alice is provincial staff of Đồng Tháp; leo a leader there; bob the secretary of
cluster 3 (2022); charlie the secretary of cluster 4, a stranger to cluster 3; dave
the officer of Tân Hồng, a member of cluster 3; eve the staff of another province.
"""

from pathlib import Path

import pytest

from clusters.models import RoleAssignment
from clusters.tests.factories import (
    make_cluster,
    make_cluster_year,
    make_province,
    make_unit,
    make_user,
)

Role = RoleAssignment.Role


def pytest_sessionstart(session):
    """Fail early if the compiled catalogue is missing or stale: tests would pass in English."""
    po = Path(__file__).parent / "locale/vi/LC_MESSAGES/django.po"
    mo = po.with_suffix(".mo")
    if po.exists() and (not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime):
        pytest.exit("locale/vi/LC_MESSAGES/django.mo is missing or stale: run compilemessages.", 2)


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    # Pages are drawn from the data every time; clusters/tests/test_page_cache.py turns the
    # cache of page bodies on.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def province(db):
    return make_province()


@pytest.fixture
def other_province(db):
    return make_province(name="Tây Ninh", code="72", authority_name="UBND TỈNH TÂY NINH")


@pytest.fixture
def tan_hong(province):
    return make_unit(province, name="Tân Hồng", code="869")


@pytest.fixture
def hong_ngu(province):
    return make_unit(province, name="Hồng Ngự", code="870")


@pytest.fixture
def cluster3(province, tan_hong, hong_ngu):
    cluster = make_cluster(province, number=3, name="Cụm thi đua số 3", symbol="CTĐ3")
    make_cluster_year(cluster, 2022, members=[tan_hong, hong_ngu], head_unit=tan_hong)
    return cluster


@pytest.fixture
def term3(cluster3):
    return cluster3.years.get(year=2022)


@pytest.fixture
def cluster4(province):
    cluster = make_cluster(province, number=4, name="Cụm thi đua số 4", symbol="CTĐ4")
    unit = make_unit(province, name="Lai Vung", code="873")
    make_cluster_year(cluster, 2022, members=[unit])
    return cluster


@pytest.fixture
def term4(cluster4):
    return cluster4.years.get(year=2022)


@pytest.fixture
def alice(province):
    return make_user("alice", {"role": Role.PROVINCIAL_STAFF, "province": province})


@pytest.fixture
def leo(province):
    return make_user("leo", {"role": Role.LEADER, "province": province})


@pytest.fixture
def bob(province, term3):
    return make_user(
        "bob", {"role": Role.CLUSTER_SECRETARY, "province": province, "cluster_year": term3}
    )


@pytest.fixture
def charlie(province, term4):
    return make_user(
        "charlie", {"role": Role.CLUSTER_SECRETARY, "province": province, "cluster_year": term4}
    )


@pytest.fixture
def dave(province, tan_hong, term3):
    return make_user("dave", {"role": Role.MEMBER_OFFICER, "province": province, "unit": tan_hong})


@pytest.fixture
def eve(other_province):
    return make_user("eve", {"role": Role.PROVINCIAL_STAFF, "province": other_province})


def _client_for(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def client_alice(client, alice):
    return _client_for(client, alice)


@pytest.fixture
def client_bob(client, bob):
    return _client_for(client, bob)
