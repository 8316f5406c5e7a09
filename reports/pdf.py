"""HTML to PDF with WeasyPrint: bundled fonts only, never the network, one font cache a process."""

import functools
import logging
import mimetypes
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# Documents are rendered as if served from this origin; only its static URLs are answered.
BASE_URL = "http://document.invalid/"


class RenderError(Exception):
    """The PDF could not be rendered (a missing font or stylesheet of our own)."""


class StaticOnlyFetcher(URLFetcher):
    """Serves the project's own static files; refuses every other URL, so user text can
    never make the server fetch anything (http, file, data or otherwise)."""

    def fetch(self, url, headers=None):
        prefix = BASE_URL + settings.STATIC_URL.lstrip("/")
        name = unquote(urlsplit(url).path).removeprefix("/" + settings.STATIC_URL.lstrip("/"))
        if not url.startswith(prefix) or ".." in name.split("/"):
            logger.warning("PDF rendering refused to fetch %s", url[:200])
            raise ValueError(f"refused: {url[:200]}")
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, _static_bytes(name), {"Content-Type": content_type})


def _static_bytes(name: str) -> bytes:
    """A static file by name: collected (hashed names in production) or from the finders."""
    if settings.STATIC_ROOT and staticfiles_storage.exists(name):
        with staticfiles_storage.open(name) as file:
            return file.read()
    path = finders.find(name)
    if not path:
        raise FatalURLFetchingError(f"static file not found: {name}")
    with open(path, "rb") as file:
        return file.read()


@functools.cache
def font_config() -> FontConfiguration:
    """One font configuration per process: faster, and memory does not grow per document."""
    return FontConfiguration()


def render_pdf(html: str) -> bytes:
    """PDF/A-3b bytes of a document page; the same HTML always gives the same bytes."""
    try:
        return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher()).write_pdf(
            font_config=font_config(),
            pdf_variant=settings.DOCUMENT_PDF_VARIANT,
            uncompressed_pdf=False,
        )
    except FatalURLFetchingError as error:  # derives from BaseException
        raise RenderError(str(error)) from None
