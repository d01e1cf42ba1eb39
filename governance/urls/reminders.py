from django.urls import path

from governance.views import reminders as views

urlpatterns = [
    path("reminders/stop/<str:token>/", views.reminder_stop, name="reminder_stop"),
    path(
        "staff/consultations/<slug:slug>/reminders/",
        views.staff_consultation_reminders,
        name="staff_consultation_reminders",
    ),
]
