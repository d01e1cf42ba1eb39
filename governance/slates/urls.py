"""URLs of slates: composing, the nominees' answers, constitution, and the public pages.

The endorsement windows' routes follow in a block of their own.
"""

from django.urls import path

from governance.slates.views import constitution, endorsement, slates

app_name = "slates"

S = "slates/<int:pk>/compose/"
STAFF = "staff/slates/"

urlpatterns = [
    # public
    path("slates/", slates.public_slate_list, name="public_slate_list"),
    path("slates/<int:pk>/", slates.public_slate_detail, name="public_slate_detail"),
    # nominees answer (signed link, or logged in)
    path("slates/nomination/link/<str:token>/", slates.nominee_answer_link, name="nominee_answer_link"),
    path("slates/nominations/<int:pk>/", slates.nominee_answer, name="nominee_answer"),
    # composing: the secretariat, or members of the proposing body
    path("slates/compose/", slates.slate_list, name="slate_list"),
    path("slates/compose/new/", slates.slate_new, name="slate_new"),
    path(S, slates.slate_detail, name="slate_detail"),
    path(S + "nominees/add/", slates.nominee_add, name="nominee_add"),
    path(S + "nominees/<int:nominee_pk>/", slates.nominee_edit, name="nominee_edit"),
    path(S + "nominees/<int:nominee_pk>/remove/", slates.nominee_remove, name="nominee_remove"),
    path(S + "ask/", slates.slate_ask, name="slate_ask"),
    path(S + "revise/", slates.slate_revise, name="slate_revise"),
    # constitution: the secretariat
    path(STAFF + "<int:pk>/constitute/", constitution.slate_constitute, name="slate_constitute"),
    path(STAFF + "bodies/<slug:slug>/", constitution.body_constitution, name="body_constitution"),
    path(STAFF + "bodies/<slug:slug>/chair/", constitution.chair_choose, name="chair_choose"),
    path(STAFF + "bodies/<slug:slug>/task-groups/new/", constitution.task_group_new, name="task_group_new"),
    path(STAFF + "task-groups/<int:pk>/", constitution.task_group_detail, name="task_group_detail"),
    path(STAFF + "task-groups/<int:pk>/consult/", constitution.task_group_consult, name="task_group_consult"),
]

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
