from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from casm import views

# The admin signs in through allauth, so its second factor applies there too.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", include("network.urls")),
    path("", include("governance.bodies.urls")),
    path("", include("governance.consultations.urls")),
    path("", include("governance.charter.urls")),
    path("", include("governance.slates.urls")),
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico before they read the page's <link rel="icon">.
    path("favicon.ico", views.favicon),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

handler500 = "casm.views.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
