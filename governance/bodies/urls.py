"""URLs of bodies: the public pages and the secretariat's."""

from django.urls import path

from governance.bodies.views import public, staff

app_name = "bodies"

P = "staff/bodies/"
B = P + "<slug:slug>/"

urlpatterns = [
    path("bodies/", public.body_list, name="body_list"),
    path("bodies/<slug:slug>/", public.body_detail, name="body_detail"),
    # the secretariat
    path(P, staff.body_list, name="staff_body_list"),
    path(P + "new/", staff.body_new, name="staff_body_new"),
    path(B, staff.body_detail, name="staff_body_detail"),
    path(B + "edit/", staff.body_edit, name="staff_body_edit"),
    path(B + "history/", staff.body_history, name="staff_body_history"),
    path(B + "seats/new/", staff.seat_new, name="staff_seat_new"),
    path(B + "seats/<int:pk>/appoint/", staff.seat_appoint, name="staff_seat_appoint"),
    path(B + "terms/<int:pk>/end/", staff.term_end, name="staff_term_end"),
]
