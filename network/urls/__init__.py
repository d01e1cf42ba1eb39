"""URLs of the network app, one module per audience; all under the ``network`` namespace."""

from network.urls import directory, imports, mail, member, public, staff

app_name = "network"

urlpatterns = [
    *public.urlpatterns,
    *member.urlpatterns,
    *directory.urlpatterns,
    *staff.urlpatterns,
    *imports.urlpatterns,
    *mail.urlpatterns,
]
