from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clusters.access import access_for

from .kinds import get_kind
from .models import Document
from .pdf import RenderError
from .render import pdf_bytes, render_html
from .services import current_version, issue, normalise_code

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _get_document_for_user(request, pk: int) -> Document:
    """Issued documents are seen by the province's staff and leaders and by whoever sees
    the cluster they belong to."""
    document = get_object_or_404(
        Document.objects.select_related("province", "cluster_year__cluster", "issued_by"), pk=pk
    )
    access = access_for(request.user)
    if access.can_view_province(document.province_id):
        return document
    if document.cluster_year and access.can_view_cluster(document.cluster_year.cluster):
        return document
    raise Http404


def _file_name(snapshot: dict, kind_code: str, extension: str) -> str:
    number = snapshot.get("number_text") or kind_code
    return number.replace("/", "-").replace(" ", "") + "." + extension


def document_page(request, kind: str, key: str):
    """The draft, rendered live from the current data, with the versions issued so far."""
    kind = get_kind(kind)
    source = kind.get_source(request, key)
    key = kind.key(source)
    toolbar = {
        "pdf_url": reverse("reports:document_pdf", args=[kind.code, key]),
        "docx_url": reverse("reports:document_docx", args=[kind.code, key]) if kind.docx else "",
        "issue_url": reverse("reports:document_issue", args=[kind.code, key])
        if kind.may_issue(request, source)
        else "",
        "versions": Document.objects.filter(kind=kind.code, source_key=key).order_by("-version"),
        "back_url": getattr(source, "get_absolute_url", lambda: "")(),
    }
    return HttpResponse(render_html(kind, kind.build(source), toolbar=toolbar, request=request))


def document_pdf(request, kind: str, key: str):
    kind = get_kind(kind)
    snapshot = kind.build(kind.get_source(request, key))
    try:
        content = pdf_bytes(kind, snapshot)
    except RenderError:
        return HttpResponse(_("The PDF could not be rendered."), status=500)
    response = HttpResponse(content, content_type=PDF)
    response["Content-Disposition"] = content_disposition_header(
        False, _file_name(snapshot, kind.code, "pdf")
    )
    return response


def document_docx(request, kind: str, key: str):
    kind = get_kind(kind)
    if not kind.docx:
        raise Http404
    snapshot = kind.build(kind.get_source(request, key))
    return _docx_response(kind, snapshot)


def _docx_response(kind, snapshot):
    response = HttpResponse(kind.docx(snapshot), content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(
        True, _file_name(snapshot, kind.code, "docx")
    )
    return response


@require_POST
def document_issue(request, kind: str, key: str):
    kind = get_kind(kind)
    source = kind.get_source(request, key)
    if not kind.may_issue(request, source):
        raise PermissionDenied
    try:
        document = issue(kind, source, user=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("reports:document_page", kind.code, kind.key(source))
    except RenderError:
        messages.error(request, _("The PDF could not be rendered; nothing was issued."))
        return redirect("reports:document_page", kind.code, kind.key(source))
    messages.success(
        request, _("Issued %(number)s.") % {"number": document.number_text or document.title}
    )
    return redirect(document)


def issued_detail(request, pk: int):
    """An issued version as it was issued: rendered from its snapshot, never from live data."""
    document = _get_document_for_user(request, pk)
    kind = get_kind(document.kind)
    current = current_version(kind, document.source_key)
    toolbar = {
        "document": document,
        "pdf_url": reverse("reports:issued_pdf", args=[document.pk]),
        "docx_url": reverse("reports:issued_docx", args=[document.pk]) if kind.docx else "",
        "draft_url": reverse("reports:document_page", args=[document.kind, document.source_key]),
        "current": current,
        "versions": Document.objects.filter(
            kind=document.kind, source_key=document.source_key
        ).order_by("-version"),
    }
    return HttpResponse(
        render_html(kind, document.snapshot, issued=document, toolbar=toolbar, request=request)
    )


def issued_pdf(request, pk: int):
    """The stored bytes: every download of an issued document is the same file."""
    document = _get_document_for_user(request, pk)
    return FileResponse(
        document.pdf.open("rb"),
        content_type=PDF,
        as_attachment=True,
        filename=_file_name(document.snapshot, document.kind, "pdf"),
    )


def issued_docx(request, pk: int):
    document = _get_document_for_user(request, pk)
    kind = get_kind(document.kind)
    if not kind.docx:
        raise Http404
    return _docx_response(kind, document.snapshot)


@login_not_required
def verify(request):
    """Anyone holding a printed copy types its code here."""
    code = normalise_code(request.GET.get("code", ""))
    if code:
        return redirect("reports:verify_code", code)
    return render(request, "reports/verify.html", {})


@login_not_required
def verify_code(request, code: str):
    document = (
        Document.objects.select_related("province", "cluster_year__cluster", "replaced_by")
        .filter(code=normalise_code(code))
        .first()
    )
    status = 200 if document else 404
    return render(
        request, "reports/verify.html", {"document": document, "code": code}, status=status
    )
