"""URLs of ground rules, decisions logs and the mission: public pages, then the secretariat's."""

from django.urls import path

from governance.charter import views

app_name = "charter"

B = "bodies/<slug:slug>/"
S = "staff/charter/"

urlpatterns = [
    path("mission/", views.mission, name="mission"),
    path("mission/versions/<int:number>/", views.mission_version, name="mission_version"),
    path(B + "ground-rules/", views.ground_rules, name="ground_rules"),
    path(B + "ground-rules/versions/<int:number>/", views.ground_rules_version, name="ground_rules_version"),
    path(B + "decisions/", views.decision_list, name="decision_list"),
    # the secretariat
    path(S, views.staff_home, name="staff_home"),
    path(S + "mission/publish/", views.staff_mission_publish, name="staff_mission_publish"),
    path(S + "mission/history/", views.staff_mission_history, name="staff_mission_history"),
    path(
        S + B + "ground-rules/publish/", views.staff_ground_rules_publish, name="staff_ground_rules_publish"
    ),
    path(S + B + "decisions/new/", views.staff_decision_new, name="staff_decision_new"),
    path(S + B + "decisions/<int:pk>/", views.staff_decision_edit, name="staff_decision_edit"),
    path(S + B + "history/", views.staff_body_history, name="staff_body_history"),
]
