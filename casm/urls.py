from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from casm import views

urlpatterns = [
    path("", include("network.urls")),
    path("", include("governance.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
