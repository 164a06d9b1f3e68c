from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.utils import translation
from django.utils.cache import patch_vary_headers


class LanguageMiddleware:
    """Vietnamese unless the user picked English with the language switch.

    Pages ignore the browser's Accept-Language: a seat's browser is often set up in
    English, and the hotline works in Vietnamese. API clients may ask for a language
    with Accept-Language.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.languages:
            if request.path.startswith("/api/"):
                language = translation.get_language_from_request(request)
            else:
                language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Accept-Language", "Cookie"])
        return response


class IdleSessionMiddleware(SessionMiddleware):
    """Django's session middleware, except that a page polling by itself (an htmx
    request marked `X-Poll: 1`) is not activity: a seat left with the console open
    still logs out after SESSION_COOKIE_AGE without a real request. Once logged out, a
    poll makes the page reload (to the login page) rather than swap the login form in."""

    def process_response(self, request, response):
        if request.headers.get("X-Poll") == "1":
            if response.status_code == 302 and response.url.startswith(
                resolve_url(settings.LOGIN_URL)
            ):
                response = HttpResponse(status=204)
                response["HX-Refresh"] = "true"
            if not request.session.modified:
                patch_vary_headers(response, ["Cookie"])
                return response
        return super().process_response(request, response)


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every page and API answer that does not set its own:
    they show citizens' names, numbers and cases, which no browser or proxy cache may
    keep. Static files (whitenoise, earlier in the chain) keep their long caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Cache-Control" not in response:
            response["Cache-Control"] = "no-store"
        return response
