"""Shared checks on rendered PDFs, for every document kind's tests.

- ``text_of(pdf) -> list[str]``: each page's text (pypdf, in source order), NFC-normalised.
- ``flat(text) -> str``: whitespace collapsed to single spaces, for ``in`` and order checks.
- ``in_order(text, parts)``: True when every part occurs in ``text`` after the previous one.
- ``margins_mm(pdf, page=0) -> (top, right, bottom, left)``: distance in mm from each paper edge
  to the outermost character of the body text (pdfplumber character boxes). Left out: the
  page number (a top line of digits only), the rotated draft mark, and text smaller than
  9 pt (the verification code printed in the bottom margin of an issued copy).
- ``fonts_of(pdf) -> set[str]``: the ``/BaseFont`` names of every font the PDF uses
  (subset prefix removed: "LiberationSerif-Bold").
- ``page_sizes(pdf) -> list[(width, height)]`` in points.
- ``top_margin_text(pdf, page) -> str``: what is printed in the top margin (the page number).

WeasyPrint sets a justified line up to about 0.6 mm beyond the text box now and then, so
document.css sets the right margin at 16 mm: the printed text stays within 15–20 mm.
"""

import io
import re
import unicodedata

import pdfplumber
from pypdf import PdfReader

MM = 72 / 25.4  # points per millimetre


def text_of(pdf: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf))
    return [unicodedata.normalize("NFC", page.extract_text() or "") for page in reader.pages]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def in_order(text: str, parts) -> bool:
    position = 0
    for part in parts:
        found = text.find(part, position)
        if found < 0:
            return False
        position = found + len(part)
    return True


def _body_chars(page):
    chars = [
        c for c in page.chars if c.get("upright", True) and c["size"] >= 9 and c["text"].strip()
    ]
    if not chars:
        return chars
    first_top = min(c["top"] for c in chars)
    first_line = [c for c in chars if abs(c["top"] - first_top) < 2]
    if all(c["text"].isdigit() for c in first_line):
        chars = [c for c in chars if abs(c["top"] - first_top) >= 2]
    return chars


def margins_mm(pdf: bytes, page: int = 0) -> tuple[float, float, float, float]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        sheet = document.pages[page]
        chars = _body_chars(sheet)
        top = min(c["top"] for c in chars)
        bottom = sheet.height - max(c["bottom"] for c in chars)
        left = min(c["x0"] for c in chars)
        right = sheet.width - max(c["x1"] for c in chars)
    return tuple(round(value / MM, 1) for value in (top, right, bottom, left))


def fonts_of(pdf: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(pdf))
    names = set()

    def collect(resources):
        if not resources:
            return
        resources = resources.get_object()
        for font in (resources.get("/Font") or {}).values():
            name = str(font.get_object().get("/BaseFont", ""))
            names.add(name.lstrip("/").split("+", 1)[-1])
        for xobject in (resources.get("/XObject") or {}).values():
            collect(xobject.get_object().get("/Resources"))

    for page in reader.pages:
        collect(page.get("/Resources"))
    return names


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    reader = PdfReader(io.BytesIO(pdf))
    return [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages]


def top_margin_text(pdf: bytes, page: int) -> str:
    """The text printed above the body on a page (the page number from page 2 on)."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        sheet = document.pages[page]
        chars = [c for c in sheet.chars if c.get("upright", True) and c["bottom"] < 20 * MM]
        return "".join(c["text"] for c in sorted(chars, key=lambda c: c["x0"])).strip()
