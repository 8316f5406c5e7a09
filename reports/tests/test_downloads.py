"""The leaders' downloads page: issued documents of a year, filters, access, one zip."""

import datetime
import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from clusters.tests.factories import make_cluster, make_cluster_year
from reports import views_downloads
from reports.models import Document, Kind

pytestmark = pytest.mark.django_db

URL = reverse("reports:downloads")
ZIP_URL = reverse("reports:downloads_zip")

_codes = iter(range(1000, 100000))


def issue_document(
    province,
    user,
    *,
    term=None,
    kind=Kind.REVIEW_MINUTES,
    title="Biên bản hội nghị tổng kết năm 2022",
    number_text="",
    period="annual",
    year=2022,
    replaces=None,
    source_key=None,
) -> Document:
    """An issued document as reports.services.issue leaves it, with made-up PDF bytes."""
    code = f"T{next(_codes):03d}"
    document = Document(
        kind=kind,
        province=province,
        cluster_year=term,
        source_key=source_key or code,
        period=period,
        title=title,
        series=f"cluster-{term.cluster_id}" if term else f"province-{province.pk}",
        year=year,
        number_text=number_text,
        version=replaces.version + 1 if replaces else 1,
        replaces=replaces,
        issued_at=timezone.make_aware(datetime.datetime(year, 12, 20, 9)),
        issued_by=user,
        snapshot={"meta": {"title": title}},
        sha256="0" * 64,
        code=code,
    )
    document.pdf.save(f"{code}.pdf", ContentFile(f"%PDF-1.7 {code} {title}".encode()), save=False)
    document.save()
    return document


@pytest.fixture
def documents(province, other_province, term3, term4, alice, eve):
    """Four current documents of Đồng Tháp in 2022 (two of cluster 3, one of cluster 4, one
    of the province), a replaced version, one of 2021 and one of another province."""
    old = issue_document(province, alice, term=term3, number_text="01/BB-CTĐ3", title="Cũ")
    term_2021 = make_cluster_year(term3.cluster, 2021)
    other_term = make_cluster_year(make_cluster(other_province, name="Cụm Tây Ninh"), 2022)
    return {
        "minutes3": issue_document(
            province, alice, term=term3, number_text="02/BB-CTĐ3", replaces=old
        ),
        "replaced": old,
        "tally3": issue_document(
            province,
            alice,
            term=term3,
            kind=Kind.TALLY_MINUTES,
            number_text="03/BB-CTĐ3",
            title="Biên bản kiểm phiếu",
        ),
        "six_month4": issue_document(
            province,
            alice,
            term=term4,
            number_text="01/BB-CTĐ4",
            title="Biên bản hội nghị sơ kết 6 tháng đầu năm 2022",
            period="six_month",
        ),
        "report": issue_document(
            province,
            alice,
            kind=Kind.LEADERS_REPORT,
            number_text="05/BC-SNV",
            title="Báo cáo kết quả chấm điểm, xếp hạng năm 2022",
            source_key=f"2022-annual-{province.pk}",
        ),
        "2021": issue_document(
            province, alice, term=term_2021, number_text="07/BB-CTĐ3", title="Năm 2021", year=2021
        ),
        "other": issue_document(
            other_province, eve, term=other_term, number_text="01/BB-CTN", title="Tây Ninh"
        ),
    }


def listed(response) -> list[str]:
    return [document.number_text for document, _period in response.context["rows"]]


def test_leader_sees_the_current_issued_documents_of_the_province_and_year(client, leo, documents):
    client.force_login(leo)
    response = client.get(URL, {"year": 2022})
    assert response.status_code == 200
    # The province's own documents first, then cluster by cluster in Vietnamese order.
    assert listed(response) == ["05/BC-SNV", "02/BB-CTĐ3", "03/BB-CTĐ3", "01/BB-CTĐ4"]
    assertContains(response, "Biên bản hội nghị sơ kết 6 tháng đầu năm 2022")
    assertContains(response, reverse("reports:issued_pdf", args=[documents["minutes3"].pk]))
    assertContains(response, f'href="{ZIP_URL}?year=2022" id="download-all"')


def test_the_year_defaults_to_this_year(client, leo, documents):
    client.force_login(leo)
    response = client.get(URL)
    assert response.context["form"].cleaned_data["year"] == timezone.localdate().year


def test_documents_count_in_the_year_they_are_about(client, leo, province, alice, term3):
    # The 2022 annual report is issued in 2023; the 2022 minutes of the term too.
    issue_document(
        province,
        alice,
        kind=Kind.LEADERS_REPORT,
        number_text="01/BC-SNV",
        year=2023,
        source_key=f"2022-annual-{province.pk}",
    )
    issue_document(province, alice, term=term3, number_text="01/BB-CTĐ3", year=2023)
    issue_document(province, alice, kind=Kind.AWARD_DECISION, number_text="215/QĐ-UBND", year=2023)
    client.force_login(leo)
    assert listed(client.get(URL, {"year": 2022})) == ["01/BC-SNV", "01/BB-CTĐ3"]
    assert listed(client.get(URL, {"year": 2023})) == ["215/QĐ-UBND"]


def test_filters_by_cluster_kind_and_period(client, alice, documents, cluster3):
    client.force_login(alice)
    by_cluster = client.get(URL, {"year": 2022, "cluster": cluster3.pk})
    assert listed(by_cluster) == ["02/BB-CTĐ3", "03/BB-CTĐ3"]
    by_kind = client.get(URL, {"year": 2022, "kind": Kind.TALLY_MINUTES})
    assert listed(by_kind) == ["03/BB-CTĐ3"]
    by_period = client.get(URL, {"year": 2022, "period": "six_month"})
    assert listed(by_period) == ["01/BB-CTĐ4"]
    in_2021 = client.get(URL, {"year": 2021})
    assert listed(in_2021) == ["07/BB-CTĐ3"]


def test_an_invalid_filter_lists_nothing_and_says_why(client, alice, documents):
    client.force_login(alice)
    response = client.get(URL, {"year": 2022, "kind": "nonsense"})
    assert listed(response) == []
    assert response.context["form"].errors["kind"]


def test_secretary_sees_only_their_clusters_documents(client, bob, documents, cluster4):
    client.force_login(bob)
    response = client.get(URL, {"year": 2022})
    assert listed(response) == ["02/BB-CTĐ3", "03/BB-CTĐ3"]
    assert list(response.context["form"].fields["cluster"].queryset) == [
        documents["minutes3"].cluster_year.cluster
    ]
    # Another cluster cannot be chosen, and no batch can be started from here.
    assert client.get(URL, {"year": 2022, "cluster": cluster4.pk}).context["rows"] == []
    assertNotContains(response, reverse("reports:batch_start"))


def test_staff_of_another_province_sees_only_their_own(client, eve, documents):
    client.force_login(eve)
    response = client.get(URL, {"year": 2022})
    assert listed(response) == ["01/BB-CTN"]


def test_member_officer_gets_404_and_anonymous_is_sent_to_login(client, dave, documents):
    client.force_login(dave)
    assert client.get(URL).status_code == 404
    assert client.get(ZIP_URL).status_code == 404
    client.logout()
    assertRedirects(client.get(URL), f"{reverse('login')}?next={URL}")


def test_the_list_is_paginated(client, leo, documents, monkeypatch):
    monkeypatch.setattr(views_downloads, "PAGE_SIZE", 3)
    client.force_login(leo)
    second = client.get(URL, {"year": 2022, "page": 2})
    assert listed(second) == ["01/BB-CTĐ4"]
    assertContains(second, "year=2022&amp;page=1")


def test_the_page_makes_the_same_queries_for_more_documents(
    client, alice, documents, term3, django_assert_num_queries
):
    client.force_login(alice)
    client.get(URL, {"year": 2022})
    # Session, user, roles, province; count, page; cluster choices; latest batches.
    with django_assert_num_queries(8):
        client.get(URL, {"year": 2022})
    for n in range(5):
        issue_document(term3.cluster.province, alice, term=term3, number_text=f"1{n}/BB-CTĐ3")
    with django_assert_num_queries(8):
        response = client.get(URL, {"year": 2022})
    assert len(response.context["rows"]) == 9


def read_zip(response) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    return {info.filename: archive.read(info) for info in archive.infolist()}


def test_the_zip_holds_the_stored_bytes_named_by_number_and_title(client, leo, documents):
    client.force_login(leo)
    response = client.get(ZIP_URL, {"year": 2022})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    assert "2022.zip" in response["Content-Disposition"]
    entries = read_zip(response)
    stored = {
        "05-BC-SNV Báo cáo kết quả chấm điểm, xếp hạng năm 2022.pdf": documents["report"],
        "Cụm thi đua số 3/02-BB-CTĐ3 Biên bản hội nghị tổng kết năm 2022.pdf": documents[
            "minutes3"
        ],
        "Cụm thi đua số 3/03-BB-CTĐ3 Biên bản kiểm phiếu.pdf": documents["tally3"],
        "Cụm thi đua số 4/01-BB-CTĐ4 Biên bản hội nghị sơ kết 6 tháng đầu năm 2022.pdf": (
            documents["six_month4"]
        ),
    }
    assert list(entries) == list(stored)
    for name, document in stored.items():
        with document.pdf.open("rb") as file:
            assert entries[name] == file.read()


def test_zip_entry_names_are_flagged_utf8(client, leo, documents):
    client.force_login(leo)
    archive = zipfile.ZipFile(
        io.BytesIO(b"".join(client.get(ZIP_URL, {"year": 2022}).streaming_content))
    )
    assert all(info.flag_bits & 0x800 for info in archive.infolist())


def test_the_zip_follows_the_filters_and_the_users_access(client, bob, documents):
    client.force_login(bob)
    entries = read_zip(client.get(ZIP_URL, {"year": 2022, "kind": Kind.TALLY_MINUTES}))
    assert list(entries) == ["Cụm thi đua số 3/03-BB-CTĐ3 Biên bản kiểm phiếu.pdf"]


def test_two_documents_with_the_same_name_both_go_in_the_zip(client, leo, province, alice, term3):
    first = issue_document(province, alice, term=term3, kind=Kind.SCORE_SUMMARY, title="Bảng")
    second = issue_document(province, alice, term=term3, kind=Kind.SCORE_SUMMARY, title="Bảng")
    client.force_login(leo)
    entries = read_zip(client.get(ZIP_URL, {"year": 2022}))
    assert list(entries) == ["Cụm thi đua số 3/Bảng.pdf", "Cụm thi đua số 3/Bảng (2).pdf"]
    assert entries["Cụm thi đua số 3/Bảng (2).pdf"] == second.pdf.open("rb").read()
    assert first.pk != second.pk


def test_zip_queries_do_not_grow_with_the_documents(
    client, leo, documents, django_assert_num_queries
):
    client.force_login(leo)
    # Session, user, roles, province; the documents.
    with django_assert_num_queries(5):
        read_zip(client.get(ZIP_URL, {"year": 2022}))
