from collections.abc import Mapping

from axes.handlers.proxy import AxesProxyHandler
from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter
from django.utils.translation import gettext as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import Throttled
from rest_framework.response import Response
from rest_framework.settings import api_settings

from . import staff_views, two_factor_views, views
from .converters import ApplicationNumberConverter, TicketReferenceConverter
from .tokens import TokenRequestSerializer, token_issue

register_converter(TicketReferenceConverter, "ref")
register_converter(ApplicationNumberConverter, "appno")


class TokenView(ObtainAuthToken):
    """A token for the `Authorization: Token <token>` header; refused (429) for a while
    after repeated wrong passwords for the username, as the log-in page is. Officers
    and supervisors give their two-factor code as `otp` when REQUIRE_2FA is on."""

    serializer_class = TokenRequestSerializer
    # ObtainAuthToken names DRF's own; the project's refuse hostile JSON (callcenter.parsers).
    parser_classes = api_settings.DEFAULT_PARSER_CLASSES
    renderer_classes = api_settings.DEFAULT_RENDERER_CLASSES

    def post(self, request, *args, **kwargs):
        data = request.data if isinstance(request.data, Mapping) else {}
        username = data.get("username")
        # A NUL byte cannot reach the database: the serializer refuses it with a 400.
        if (
            isinstance(username, str)
            and "\x00" not in username
            and not AxesProxyHandler.is_allowed(request, {"username": username})
        ):
            raise Throttled(
                wait=settings.AXES_COOLOFF_TIME.total_seconds(),
                detail=_("Too many failed log-in attempts for this username. Try again later."),
            )
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        token = token_issue(user=user, otp=serializer.validated_data.get("otp", ""))
        return Response({"token": token.key})


# Swagger UI's page carries a small inline stylesheet; its script is served apart (the
# split view), so only styles are loosened, and only here.
api_docs = csp_update({"style-src": [UNSAFE_INLINE]})(
    SpectacularSwaggerSplitView.as_view(url_name="api-schema")
)

# A database or broker outage is a 503 to try again, not a 500 (views.server_error).
handler500 = "callcenter.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/two-factor/enrol/", two_factor_views.enrol, name="two-factor-enrol"),
    path("accounts/users/", staff_views.staff_list, name="staff-list"),
    path("accounts/users/new/", staff_views.staff_new, name="staff-new"),
    path("accounts/users/<int:user_id>/", staff_views.staff_edit, name="staff-edit"),
    path(
        "accounts/users/<int:user_id>/password/",
        staff_views.staff_password,
        name="staff-password",
    ),
    path("accounts/two-factor/", two_factor_views.verify, name="two-factor-verify"),
    path("accounts/two-factor/users/", two_factor_views.devices, name="two-factor-devices"),
    path(
        "accounts/two-factor/users/<int:user_id>/reset/",
        two_factor_views.reset,
        name="two-factor-reset",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/auth/token/", TokenView.as_view(), name="api-token"),
    path("api/v1/", include("tickets.api.urls")),
    path("api/v1/", include("citizens.api_urls")),
    path("api/v1/", include("knowledge.api_urls")),
    path("api/v1/", include("callbacks.api_urls")),
    path("api/v1/", include("selfservice.api_urls")),
    path("api/v1/", include("presence.api_urls")),
    path("api/v1/", include("reprints.api_urls")),
    path("api/v1/", include("corrections.api_urls")),
    path("api/v1/", include("privacy.api_urls")),
    path("api/v1/", include("reporting.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", api_docs, name="api-docs"),
    path("", include("tickets.urls")),
    path("", include("citizens.urls")),
    path("", include("knowledge.urls")),
    path("", include("callbacks.urls")),
    path("", include("selfservice.urls")),
    path("", include("presence.urls")),
    path("", include("reprints.urls")),
    path("", include("corrections.urls")),
    path("", include("privacy.urls")),
    path("", include("reporting.urls")),
]
