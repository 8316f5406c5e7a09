"""A snapshot to HTML (the same template for the browser, the tests and the PDF) and PDF."""

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from . import layout
from .pdf import render_pdf


def verification_url(code: str) -> str:
    return settings.SITE_URL + reverse("reports:verify_code", args=[code])


def page_context(kind, snapshot: dict, *, issued=None, toolbar=None) -> dict:
    """What every document template receives: the snapshot as `doc`, its number and
    date lines, and either the draft mark or the verification code and QR code."""
    number_line, place_date_line = layout.header_lines(snapshot)
    context = {
        "doc": snapshot,
        "kind": kind,
        "landscape": kind.landscape,
        "draft": issued is None,
        "issued": issued,
        "toolbar": toolbar,
        "number_line": number_line,
        "place_date_line": place_date_line,
    }
    if issued is not None:
        qr = segno.make(verification_url(issued.code), error="m")
        context["qr_svg"] = mark_safe(qr.svg_inline(scale=2, border=0, omitsize=True))  # noqa: S308
        context["verification_url"] = verification_url(issued.code)
    return context


def render_html(kind, snapshot: dict, *, issued=None, toolbar=None, request=None) -> str:
    context = page_context(kind, snapshot, issued=issued, toolbar=toolbar)
    return render_to_string(kind.template, context, request=request)


def pdf_bytes(kind, snapshot: dict, *, issued=None) -> bytes:
    return render_pdf(render_html(kind, snapshot, issued=issued))
