"""Issuing documents: the next number in the issuer's series, the frozen snapshot, the
stored PDF and its hash. Nothing issued is changed or deleted; a correction is a new
version that references the one it replaces."""

import datetime
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters.models import Province

from . import layout
from .kinds import DocumentKind
from .models import Document
from .render import pdf_bytes

# Crockford's base32 without look-alikes: the code is read off paper and typed.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_code() -> str:
    while True:
        raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
        code = f"{raw[:4]}-{raw[4:]}"
        if not Document.objects.filter(code=code).exists():
            return code


def normalise_code(text: str) -> str:
    """What a reader types, as stored: upper case, O read as 0, a dash in the middle."""
    raw = "".join(ch for ch in text.upper() if ch.isalnum()).replace("O", "0").replace("I", "1")
    return f"{raw[:4]}-{raw[4:]}" if len(raw) == 8 else raw


def current_version(kind: DocumentKind, key: str) -> Document | None:
    return Document.objects.filter(kind=kind.code, source_key=key, replaced_by__isnull=True).first()


@transaction.atomic
def issue(kind: DocumentKind, source, *, user, reason: str = "") -> Document:
    """Issue the document built from `source` now, or its next version when one is issued."""
    key = kind.key(source)
    issuer = kind.issuer(source)
    # Lock the province row: numbers of one series are handed out one at a time.
    Province.objects.select_for_update().get(pk=issuer.province.pk)
    previous = current_version(kind, key)
    if previous is not None and not reason.strip():
        raise ValidationError(_("A correction needs a reason."))
    snapshot = kind.build(source)
    now = timezone.now()
    day = (
        datetime.date.fromisoformat(snapshot["date"])
        if snapshot.get("date")
        else timezone.localdate(now)
    )
    snapshot["date"] = day.isoformat()
    number = None
    if kind.abbreviation and not snapshot.get("number_text"):
        last = Document.objects.filter(series=issuer.series, year=day.year).aggregate(
            n=Max("number")
        )
        number = (last["n"] or 0) + 1
        snapshot["number"] = number
        snapshot["number_text"] = layout.document_number(number, snapshot["symbol"])
    document = Document(
        kind=kind.code,
        province=issuer.province,
        cluster_year=issuer.cluster_year,
        source_key=key,
        period=kind.period(source),
        title=snapshot["meta"]["title"],
        series=issuer.series,
        year=day.year,
        number=number,
        number_text=snapshot.get("number_text", ""),
        version=previous.version + 1 if previous else 1,
        replaces=previous,
        correction_reason=reason.strip() if previous else "",
        issued_at=now,
        issued_by=user,
        code=new_code(),
    )
    snapshot["issued"] = {"code": document.code, "at": now.isoformat(), "version": document.version}
    if previous is not None:
        snapshot["issued"]["replaces"] = previous.number_text or previous.code
    snapshot["meta"]["created"] = now.isoformat(timespec="seconds")
    document.snapshot = snapshot
    content = pdf_bytes(kind, snapshot, issued=document)
    document.sha256 = hashlib.sha256(content).hexdigest()
    document.pdf.save(f"{document.code}.pdf", ContentFile(content), save=False)
    document.save()
    return document
