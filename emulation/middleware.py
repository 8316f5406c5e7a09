from django.conf import settings
from django.utils import translation

from clusters import page_cache


def language_from_cookie(get_response):
    """Activate the language the user chose with the switch; Vietnamese otherwise.

    Unlike LocaleMiddleware this ignores the browser's Accept-Language, so that a
    provincial officer whose browser is set to English still gets Vietnamese until
    they switch.
    """
    supported = {code for code, _name in settings.LANGUAGES}

    def middleware(request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response

    return middleware


def data_version(get_response):
    """After a request that may have written, the cached page bodies are out of date
    (clusters.page_cache). This runs once the view's transaction is committed."""

    def middleware(request):
        response = get_response(request)
        if request.method not in ("GET", "HEAD", "OPTIONS", "TRACE"):
            page_cache.bump()
        return response

    return middleware
