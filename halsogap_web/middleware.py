"""NUL characters refused, language selection, private pages, revalidated API answers, and one
data version per reading request."""

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import JsonResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from halsogap_web import evidence


class RefuseNulCharactersMiddleware:
    """A NUL character in the address or a query parameter is refused with a 400.

    PostgreSQL cannot hold or compare text with NUL, so such a value would end as a server
    error in whichever filter first met it; no code or name of Hälsogap contains one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        pairs = [(key, value) for key in request.GET for value in request.GET.getlist(key)]
        bad = "\x00" in request.path or any("\x00" in k + v for k, v in pairs)
        if not bad:
            return self.get_response(request)
        message = (
            "Adressen innehåller ett NUL-tecken (\\0), som inget namn eller ingen kod har. / "
            "The address contains a NUL character (\\0), which no name or code has."
        )
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=400)
        raise BadRequest(message)


class ChosenLanguageMiddleware:
    """Activate the language from the language cookie only.

    Django's LocaleMiddleware also follows the browser's Accept-Language, which would show a
    Swedish public service in English to anyone with an English browser. Here the choice is
    the user's, made with the language button, and Swedish is the default.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code not in dict(settings.LANGUAGES):
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = code
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", code)
        return response


class PrivatePagesMiddleware:
    """Pages for a logged-in user hold the region's unpublished work: no shared cache, and no
    browser cache after logging out, may keep them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            response["Cache-Control"] = "private, no-store"
        return response


class RevalidatedApiMiddleware:
    """An API answer may be kept by its caller but must be checked again before each use.

    ``no-cache`` (not the pages' ``no-store``) lets Django's ConditionalGetMiddleware give it an
    ETag, so a data warehouse polling every hour gets ``304 Not Modified`` until a value, a
    decision or a report changes. A member's answer stays private, and it varies with the key.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/api/") and "Cache-Control" not in response:
            user = getattr(request, "user", None)
            member = user is not None and user.is_authenticated
            response["Cache-Control"] = "private, no-cache" if member else "no-cache"
            patch_vary_headers(response, ("Authorization",))
        return response


class OneDataVersionMiddleware:
    """A page that only reads asks the database for the data version once, not once for each
    frame it slices; a request that may write (an import through the API) asks every time."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        with evidence.one_version_per_read():
            return self.get_response(request)
