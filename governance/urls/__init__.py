"""URLs of the governance app, one module per area; all under the ``governance`` namespace."""

from governance.urls import analysis, bodies, consultations_staff, reminders, responses

app_name = "governance"

urlpatterns = [
    *bodies.urlpatterns,
    *responses.urlpatterns,
    *consultations_staff.urlpatterns,
    *analysis.urlpatterns,
    *reminders.urlpatterns,
]
