"""The language of a page: the switcher's choice, else the member's saved one, else the browser's."""

from django.conf import settings
from django.utils import translation


class SavedLanguageMiddleware:
    """After authentication: a logged-in person who has not used the switcher reads their saved language.

    Django's ``LocaleMiddleware`` (before this one) picked the switcher's cookie or the browser's
    ``Accept-Language``; without the cookie, the account's ``preferred_language`` (chosen when
    joining, changed on the profile) wins over the browser's, which may be a shared or borrowed one.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.known = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES and request.user.is_authenticated:
            saved = getattr(request.user, "preferred_language", "")
            if saved in self.known:
                translation.activate(saved)
                request.LANGUAGE_CODE = saved
        return self.get_response(request)
