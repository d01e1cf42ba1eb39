"""URLs of slates: composition, acceptance and constitution first, then the endorsement by the network."""

from django.urls import path

from governance.slates.views import endorsement

app_name = "slates"

urlpatterns = []

urlpatterns += [
    # ------------------------------------------------ endorsement by the network
    # members: by the signed link of their mail (no login) or in the portal; the outcome is public
    path("slates/endorsement/link/<str:token>/", endorsement.endorsement_link, name="endorsement_link"),
    path("slates/endorsement/<int:pk>/", endorsement.endorsement_answer, name="endorsement_answer"),
    path("slates/endorsement/<int:pk>/outcome/", endorsement.endorsement_outcome, name="endorsement_outcome"),
    # the secretariat
    path("staff/slates/<int:pk>/endorsement/open/", endorsement.staff_window_open, name="staff_window_open"),
    path("staff/endorsement/<int:pk>/", endorsement.staff_window_detail, name="staff_window_detail"),
    path("staff/endorsement/<int:pk>/extend/", endorsement.staff_window_extend, name="staff_window_extend"),
]
