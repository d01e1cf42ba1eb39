"""URLs of bodies: the public pages and the secretariat's."""

from django.urls import path

from governance.bodies.views import public, staff, survey

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

urlpatterns += [
    # the survey of continued service: members (signed link or logged in), then the secretariat
    path("bodies/surveys/link/<str:token>/", survey.survey_answer_link, name="survey_answer_link"),
    path("bodies/surveys/<int:pk>/", survey.survey_answer, name="survey_answer"),
    path("staff/surveys/", survey.staff_survey_list, name="staff_survey_list"),
    path("staff/bodies/<slug:slug>/surveys/new/", survey.staff_survey_new, name="staff_survey_new"),
    path("staff/surveys/<int:pk>/", survey.staff_survey_detail, name="staff_survey_detail"),
    path("staff/surveys/<int:pk>/remind/", survey.staff_survey_remind, name="staff_survey_remind"),
]
