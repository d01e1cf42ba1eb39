from django.urls import path

from governance.bodies import views

app_name = "bodies"

urlpatterns = [
    path("bodies/", views.body_list, name="body_list"),
    path("bodies/<slug:slug>/", views.body_detail, name="body_detail"),
]

urlpatterns += [
    # the survey of continued service: members (signed link or logged in), then the secretariat
    path("bodies/surveys/link/<str:token>/", views.survey_answer_link, name="survey_answer_link"),
    path("bodies/surveys/<int:pk>/", views.survey_answer, name="survey_answer"),
    path("staff/bodies/surveys/", views.staff_survey_list, name="staff_survey_list"),
    path("staff/bodies/<slug:slug>/surveys/new/", views.staff_survey_new, name="staff_survey_new"),
    path("staff/bodies/surveys/<int:pk>/", views.staff_survey_detail, name="staff_survey_detail"),
    path("staff/bodies/surveys/<int:pk>/remind/", views.staff_survey_remind, name="staff_survey_remind"),
]
