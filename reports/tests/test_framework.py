"""Issuing, numbering, verification, access and the PDF pipeline, on a small test kind
whose source is a cluster's term."""

import hashlib
import io
import logging

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from pypdf import PdfReader

from clusters.access import access_for
from clusters.models import RoleAssignment
from clusters.tests.factories import make_user
from reports import services
from reports.kinds import KINDS, DocumentKind, cluster_issuer
from reports.models import Document
from reports.pdf import render_pdf

from .pdf_checks import flat, fonts_of, text_of

Role = RoleAssignment.Role


def pages(content: bytes) -> list[str]:
    return [flat(text) for text in text_of(content)]


pytestmark = pytest.mark.pdf


class TermNote(DocumentKind):
    """A one-page note of a cluster's term: enough to exercise the machinery."""

    code = "term_note"
    abbreviation = "BB"
    template = "reports/document.html"

    def get_source(self, request, key):
        from clusters.views.clusters import _get_clusteryear_for_user

        try:
            return _get_clusteryear_for_user(request, int(key))
        except ValueError:
            raise Http404 from None

    def issuer(self, term):
        return cluster_issuer(term)

    def build(self, term):
        issuer = self.issuer(term)
        return {
            "meta": {"title": f"Ghi chú {term.cluster.name}", "author": term.cluster.name},
            **issuer.heading(self.abbreviation),
            "date": None,
            "title": "Biên bản",
            "summary": f"Ghi chú của {term.cluster.name}, trưởng cụm {term.signer_name}",
            "signatures": [{"authority": "Thư ký", "name": term.secretary_name or "Ặ Ờ Ữ Ứ Đ Ỹ"}],
            "recipients": ["Sở Nội vụ", "Lưu: VT, Hồ sơ"],
        }


@pytest.fixture(autouse=True)
def term_note():
    KINDS[TermNote.code] = TermNote()
    yield KINDS[TermNote.code]
    del KINDS[TermNote.code]


@pytest.fixture
def head(province, term3):
    return make_user(
        "hana", {"role": Role.CLUSTER_HEAD, "province": province, "cluster_year": term3}
    )


def _page(term):
    return reverse("reports:document_page", args=["term_note", term.pk])


def _issue_url(term):
    return reverse("reports:document_issue", args=["term_note", term.pk])


def test_issue_numbers_the_series_and_stores_the_pdf_with_its_hash(term_note, term3, alice):
    document = services.issue(term_note, term3, user=alice)
    assert document.number == 1
    assert document.number_text == "01/BB-CTĐ3"
    assert document.version == 1
    content = document.pdf.read()
    assert content.startswith(b"%PDF-")
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    text = pages(content)[0]
    assert "Số: 01/BB-CTĐ3" in text
    assert document.code in text
    assert "DỰ THẢO" not in text


def test_the_next_document_of_the_series_gets_the_next_number(term_note, term3, term4, alice):
    first = services.issue(term_note, term3, user=alice)
    other_cluster = services.issue(term_note, term4, user=alice)
    second = services.issue(term_note, term3, user=alice, reason="Sửa tên")
    assert (first.number, second.number) == (1, 2)
    assert other_cluster.number == 1  # every cluster keeps its own series


def test_a_new_version_needs_a_reason_and_replaces_the_old_one(term_note, term3, alice):
    first = services.issue(term_note, term3, user=alice)
    with pytest.raises(ValidationError):
        services.issue(term_note, term3, user=alice, reason="  ")
    second = services.issue(term_note, term3, user=alice, reason="Sai tên người ký")
    first.refresh_from_db()
    assert second.replaces == first
    assert second.version == 2
    assert second.correction_reason == "Sai tên người ký"
    assert first.replaced_by == second
    assert "Thay thế văn bản 01/BB-CTĐ3" in pages(second.pdf.read())[0]
    assert Document.objects.count() == 2  # nothing issued is deleted


def test_an_issued_document_keeps_its_bytes_when_the_data_changes(
    term_note, term3, client_alice, alice
):
    document = services.issue(term_note, term3, user=alice)
    stored = document.pdf.read()
    term3.signer_name = "Người Ký Mới"
    term3.save()
    first = b"".join(
        client_alice.get(reverse("reports:issued_pdf", args=[document.pk])).streaming_content
    )
    second = b"".join(
        client_alice.get(reverse("reports:issued_pdf", args=[document.pk])).streaming_content
    )
    assert first == second == stored
    page = client_alice.get(document.get_absolute_url()).content.decode()
    assert "Người Ký Mới" not in page
    assert "Người Ký Mới" in client_alice.get(_page(term3)).content.decode()


def test_the_same_snapshot_renders_to_the_same_bytes(term_note, term3, alice):
    document = services.issue(term_note, term3, user=alice)
    from reports.render import pdf_bytes

    assert pdf_bytes(term_note, document.snapshot, issued=document) == document.pdf.read()


def test_a_draft_is_marked_on_every_page_and_uses_only_the_bundled_fonts(client_alice, term3):
    response = client_alice.get(reverse("reports:document_pdf", args=["term_note", term3.pk]))
    assert response["Content-Type"] == "application/pdf"
    texts = pages(response.content)
    assert all("DỰ THẢO" in text for text in texts)
    assert "Ặ Ờ Ữ Ứ Đ Ỹ" in texts[0]  # every diacritic comes back out of the PDF
    assert fonts_of(response.content) <= {
        "DocSerif",
        "DocSerif-Bold",
        "DocSerif-Italic",
        "DocSerif-Bold-Italic",
    }
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.metadata.title == "Ghi chú Cụm thi đua số 3"
    assert reader.metadata.author == "Cụm thi đua số 3"
    assert b"pdfaid:part" in response.content or b"pdfaid" in reader.xmp_metadata.stream.get_data()
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_draft_html_view_for_the_cluster_and_refused_to_others(client, term3, alice, bob, charlie):
    client.force_login(bob)
    page = client.get(_page(term3)).content.decode()
    assert "Số: …/BB-CTĐ3" in page
    assert "DỰ THẢO" in page
    assert "Cộng hòa xã hội chủ nghĩa Việt Nam" in page
    assert _issue_url(term3) not in page  # a secretary does not issue
    client.force_login(charlie)
    assert client.get(_page(term3)).status_code == 404
    client.logout()
    assert client.get(_page(term3)).status_code == 302


def test_only_the_head_or_staff_issue(client, term3, bob, head, alice, charlie):
    client.force_login(bob)
    assert client.post(_issue_url(term3)).status_code == 403
    client.force_login(charlie)
    assert client.post(_issue_url(term3)).status_code == 404
    client.force_login(head)
    assert _issue_url(term3) in client.get(_page(term3)).content.decode()
    response = client.post(_issue_url(term3))
    document = Document.objects.get()
    assert response.status_code == 302
    assert response["Location"] == document.get_absolute_url()
    assert document.issued_by == head
    response = client.post(_issue_url(term3), follow=True)
    assert "Cần nêu lý do đính chính." in response.content.decode()
    assert Document.objects.count() == 1


def test_issued_documents_are_seen_by_the_cluster_and_the_province_only(
    client, term_note, term3, alice, bob, leo, charlie, eve
):
    document = services.issue(term_note, term3, user=alice)
    for user, status in ((bob, 200), (leo, 200), (charlie, 404), (eve, 404)):
        client.force_login(user)
        assert client.get(document.get_absolute_url()).status_code == status, user
        assert client.get(reverse("reports:issued_pdf", args=[document.pk])).status_code == status
    client.logout()
    assert client.get(document.get_absolute_url()).status_code == 302


def test_anyone_can_verify_a_code(client, term_note, term3, alice):
    document = services.issue(term_note, term3, user=alice)
    response = client.get(
        reverse("reports:verify"), {"code": document.code.lower().replace("-", "")}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert document.sha256 in page
    assert "01/BB-CTĐ3" in page
    missing = client.get(reverse("reports:verify_code", args=["ZZZZ-ZZZZ"]))
    assert missing.status_code == 404


def test_normalise_code():
    assert services.normalise_code(" k7q2 m9xa ") == "K7Q2-M9XA"
    assert services.normalise_code("abcd-efgo") == "ABCD-EFG0"


def test_user_text_never_makes_the_renderer_fetch(term3, caplog):
    html = (
        '<html><body><p>Cụm <img src="http://example.com/x.png"></p>'
        '<img src="file:///etc/passwd"><link rel="stylesheet" href="http://example.com/a.css">'
        "</body></html>"
    )
    with caplog.at_level(logging.WARNING, logger="reports.pdf"):
        content = render_pdf(html)
    assert content.startswith(b"%PDF-")
    refused = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert any("http://example.com/x.png" in m for m in refused)
    assert any("file:///etc/passwd" in m for m in refused)


def test_a_cluster_name_with_markup_is_printed_as_text(client_alice, term3, cluster3):
    cluster3.name = 'Cụm <img src="http://example.com/track.png"> 3'
    cluster3.save()
    response = client_alice.get(reverse("reports:document_pdf", args=["term_note", term3.pk]))
    assert '<img src="http://example.com/track.png">' in pages(response.content)[0]


def test_head_role_is_in_access(head, term3):
    assert term3.pk in access_for(head).head_cluster_year_ids
