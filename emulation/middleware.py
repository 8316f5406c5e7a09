from django.conf import settings
from django.utils import translation


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
