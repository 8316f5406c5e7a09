"""The search page: accent-insensitive, grouped by kind, and only what the user may see."""

import datetime
import re
import unicodedata

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from clusters import search
from clusters.access import access_for
from clusters.models import Meeting, Unit
from clusters.tests.decision_factories import add_multiples, make_decision
from clusters.tests.factories import make_cluster, make_cluster_year, make_unit
from clusters.text import ALPHABET, fold
from reports.models import Document

URL = reverse("clusters:search")

# --- The pattern (pure) --------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["Hồng Ngự", "HỒNG NGỰ", "hong ngu", "Thị xã Hồng  Ngự", unicodedata.normalize("NFD", "Hồng")],
)
def test_the_pattern_finds_a_word_with_or_without_accents(text):
    assert re.search(search.accent_pattern("hong"), text)


def test_d_matches_the_crossed_d_and_digits_and_dashes_match_themselves():
    assert re.search(search.accent_pattern("dong"), "Đồng Tháp")
    assert re.search(search.accent_pattern("qd-ubnd"), "215/QĐ-UBND")
    assert not re.search(search.accent_pattern("216"), "215/QĐ-UBND")
    assert not re.search(search.accent_pattern("hong"), "Hưng")


VIETNAMESE = ALPHABET + "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ "


@given(st.text(alphabet=VIETNAMESE + VIETNAMESE.upper() + "0123456789-/", min_size=1))
def test_every_text_is_found_by_its_folded_words(text):
    for word in fold(text).split():
        assert re.search(search.accent_pattern(word), text)


# --- Fixtures ------------------------------------------------------------------------


@pytest.fixture
def meeting3(term3, hong_ngu):
    return Meeting.objects.create(
        cluster_year=term3,
        kind=Meeting.Kind.ANNUAL_REVIEW,
        date=datetime.date(2022, 12, 20),
        venue="Hội trường UBND thị xã Hồng Ngự",
    )


@pytest.fixture
def decision(province, hong_ngu):
    add_multiples(datetime.date(2018, 1, 1))
    return make_decision(province, number="215/QĐ-UBND", units=[hong_ngu])


def make_document(province, term=None, *, title, number_text="", code="ABCD-EFGH"):
    return Document.objects.create(
        kind="review_minutes",
        province=province,
        cluster_year=term,
        source_key=code,
        title=title,
        series=f"series-{code}",
        year=2022,
        number_text=number_text,
        issued_at=timezone.now(),
        issued_by=access_user(province),
        snapshot={},
        pdf=f"documents/2022/{code}.pdf",
        sha256="0" * 64,
        code=code,
    )


def access_user(province):
    # Any user will do as the issuer; the province's first one exists in every test.
    return province.users.order_by("pk").first()


@pytest.fixture
def document3(province, term3, alice):
    return make_document(
        province, term3, title="Biên bản hội nghị tổng kết Cụm 3", number_text="02/BB-CTĐ3"
    )


def _groups(response) -> dict:
    return {group.kind: group for group in response.context["groups"]}


def _titles(response, kind) -> list[str]:
    return [hit.title for hit in _groups(response)[kind].hits]


# --- Access --------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL, {"q": "hong"})
    assertRedirects(
        response, f"{reverse('login')}?next={URL}%3Fq%3Dhong", fetch_redirect_response=False
    )


def test_the_navbar_has_the_search_box(client_alice):
    response = client_alice.get(reverse("clusters:unit_list"))
    assertContains(response, f'action="{URL}"')
    assertContains(response, 'role="search"', count=2)


# --- Finding -------------------------------------------------------------------------


def test_hong_ngu_without_accents_finds_every_kind(
    client_alice, cluster3, hong_ngu, meeting3, decision, document3
):
    response = client_alice.get(URL, {"q": "hong ngu"})
    assert response.status_code == 200
    assert _titles(response, "units") == ["Hồng Ngự"]
    # The meeting by its venue, the decision by its recipient's name.
    assert _groups(response)["meetings"].count == 1
    assert _groups(response)["decisions"].count == 1
    assert _titles(response, "decisions") == ["215/QĐ-UBND"]
    assertContains(response, hong_ngu.get_absolute_url())
    assertContains(response, meeting3.get_absolute_url())
    assertContains(response, decision.get_absolute_url())


def test_capitals_and_accents_in_the_query_do_not_matter(client_alice, hong_ngu, document3):
    for query in ("HỒNG NGỰ", "hồng ngự", "Hong Ngu"):
        assert _titles(client_alice.get(URL, {"q": query}), "units") == ["Hồng Ngự"]
    for query in ("bien ban tong ket", "02/bb", "abcd-efgh"):
        response = client_alice.get(URL, {"q": query})
        assert _groups(response)["documents"].count == 1, query
    assertContains(response, document3.get_absolute_url())


def test_every_word_must_match(client_alice, hong_ngu, tan_hong):
    response = client_alice.get(URL, {"q": "hong tan"})
    assert _titles(response, "units") == ["Tân Hồng"]


def test_meetings_match_on_their_kind_and_cluster(client_alice, meeting3, cluster4):
    # The label as the page is rendered: in Vietnamese, the default language.
    with translation.override("vi"):
        kind = fold(str(Meeting.Kind.ANNUAL_REVIEW.label))
    assert _groups(client_alice.get(URL, {"q": kind}))["meetings"].count == 1
    response = client_alice.get(URL, {"q": "cum thi dua so 3"})
    assert _groups(response)["meetings"].count == 1
    assert _titles(response, "clusters") == ["Cụm thi đua số 3"]


def test_decisions_match_on_their_number_and_award_form(client_alice, decision):
    assert _groups(client_alice.get(URL, {"q": "215/qd"}))["decisions"].count == 1
    award = fold(decision.award_form.name).split()[0]
    assert _groups(client_alice.get(URL, {"q": award}))["decisions"].count == 1
    assert _groups(client_alice.get(URL, {"q": "216/qd"}))["decisions"].count == 0


def test_a_blank_query_searches_nothing(client_alice, hong_ngu, django_assert_max_num_queries):
    # Session, user and the data version of the cached page bodies: no search at all.
    with django_assert_max_num_queries(3 + 1):
        response = client_alice.get(URL, {"q": "   "})
    assert response.context["groups"] == []
    assertNotContains(response, "Hồng Ngự")


def test_results_are_grouped_with_counts_and_a_link_to_the_rest(client_alice, province):
    for n in range(12):
        make_unit(province, name=f"Xã Tân Phú {n + 1}", kind=Unit.Kind.COMMUNE)
    response = client_alice.get(URL, {"q": "tan phu"})
    group = _groups(response)["units"]
    assert (group.count, len(group.hits), group.more) == (12, search.LIMIT, 2)
    # Vietnamese order, numbers by value.
    assert [hit.title for hit in group.hits][:3] == ["Xã Tân Phú 1", "Xã Tân Phú 2", "Xã Tân Phú 3"]
    assert response.context["total"] == 12
    assertContains(response, 'data-count="12"')
    assertContains(response, f"{reverse('clusters:unit_list')}?q=tan+phu")
    # The unit list it links to finds the same twelve.
    listed = client_alice.get(reverse("clusters:unit_list"), {"q": "tan phu"})
    assert listed.context["page_obj"].paginator.count == 12


# --- Scoping -------------------------------------------------------------------------


def test_staff_of_another_province_see_nothing_of_this_one(
    client, eve, other_province, cluster3, hong_ngu, meeting3, decision, document3
):
    make_unit(other_province, name="Hồng Ngự (Tây Ninh)")
    client.force_login(eve)
    response = client.get(URL, {"q": "hong ngu"})
    assert _titles(response, "units") == ["Hồng Ngự (Tây Ninh)"]
    for kind in ("clusters", "meetings", "decisions", "documents"):
        assert _groups(response)[kind].count == 0, kind
    assertNotContains(response, hong_ngu.get_absolute_url())


def test_a_secretary_of_another_cluster_does_not_see_cluster_3(
    client, charlie, cluster3, hong_ngu, meeting3, decision, document3
):
    client.force_login(charlie)
    response = client.get(URL, {"q": "hong ngu"})
    assert all(group.count == 0 for group in response.context["groups"])
    response = client.get(URL, {"q": "cum thi dua"})
    assert _titles(response, "clusters") == ["Cụm thi đua số 4"]


def test_a_member_officer_sees_their_cluster_but_not_the_decisions(
    client, dave, cluster3, hong_ngu, meeting3, decision, document3
):
    client.force_login(dave)
    response = client.get(URL, {"q": "hong ngu"})
    groups = _groups(response)
    assert groups["units"].count == 1
    assert groups["meetings"].count == 1
    assert groups["decisions"].count == 0
    assert _groups(client.get(URL, {"q": "tong ket"}))["documents"].count == 1


def test_the_selector_filters_with_the_access_it_is_given(alice, eve, hong_ngu, other_province):
    assert search.search(access_for(alice), "hong ngu")[0].count == 1
    assert search.search(access_for(eve), "hong ngu")[0].count == 0


# --- Cost ----------------------------------------------------------------------------

# Session, user, the data version of the cached page bodies, roles, then one query per
# kind (units, clusters, meetings, decisions, documents).
SEARCH_QUERIES = 9


def test_the_number_of_queries_does_not_grow_with_the_data(
    client_alice, province, cluster3, meeting3, decision, document3, django_assert_num_queries
):
    with django_assert_num_queries(SEARCH_QUERIES):
        client_alice.get(URL, {"q": "hong"})
    for n in range(15):
        cluster = make_cluster(province, name=f"Cụm Hồng {n}")
        unit = make_unit(province, name=f"Phường Hồng {n}")
        term = make_cluster_year(cluster, 2022, members=[unit])
        Meeting.objects.create(
            cluster_year=term, kind=Meeting.Kind.DELIBERATION, date=datetime.date(2022, 12, 1)
        )
        make_decision(province, number=f"{n}/QĐ-UBND", units=[unit])
        make_document(province, term, title=f"Biên bản Hồng {n}", code=f"CODE-{n:04d}")
    with django_assert_num_queries(SEARCH_QUERIES):
        response = client_alice.get(URL, {"q": "hong"})
    counts = {kind: group.count for kind, group in _groups(response).items()}
    assert counts == {
        "units": 17,
        "clusters": 15,
        "meetings": 16,
        "decisions": 16,
        "documents": 15,
    }
    assert all(len(group.hits) == search.LIMIT for group in response.context["groups"])
