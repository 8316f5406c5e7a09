"""Reading PDFs back in tests: text per page (NFC, whitespace collapsed) and font names."""

import io
import re
import unicodedata

from pypdf import PdfReader


def page_texts(content: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(content))
    return [
        re.sub(r"\s+", " ", unicodedata.normalize("NFC", page.extract_text())).strip()
        for page in reader.pages
    ]


def fonts_of(content: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(content))
    names = set()
    for page in reader.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for font in fonts.values():
            names.add(str(font.get_object()["/BaseFont"]).lstrip("/"))
    return names
