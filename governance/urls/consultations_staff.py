"""The secretariat's consultation pages: build, publish, preview, history, requests for more time."""

from django.urls import path

from governance.views import consultations_staff as views

P = "staff/consultations/"
C = P + "<slug:slug>/"

urlpatterns = [
    path(P, views.consultation_list, name="staff_consultation_list"),
    path(P + "new/", views.consultation_new, name="staff_consultation_new"),
    path(C, views.consultation_detail, name="staff_consultation_detail"),
    path(C + "edit/", views.consultation_edit, name="staff_consultation_edit"),
    path(C + "publish/", views.consultation_publish, name="staff_consultation_publish"),
    path(C + "delete/", views.consultation_delete, name="staff_consultation_delete"),
    path(C + "preview/", views.consultation_preview, name="staff_consultation_preview"),
    path(C + "history/", views.consultation_history, name="staff_consultation_history"),
    path(C + "sections/new/", views.section_new, name="staff_section_new"),
    path(C + "sections/<int:pk>/", views.section_edit, name="staff_section_edit"),
    path(C + "sections/<int:pk>/delete/", views.section_delete, name="staff_section_delete"),
    path(C + "sections/<int:pk>/move/", views.section_move, name="staff_section_move"),
    path(C + "sections/<int:section_pk>/options/new/", views.option_new, name="staff_option_new"),
    path(C + "options/<int:pk>/", views.option_edit, name="staff_option_edit"),
    path(C + "options/<int:pk>/delete/", views.option_delete, name="staff_option_delete"),
    path(C + "options/<int:pk>/move/", views.option_move, name="staff_option_move"),
    path(C + "extensions/", views.extension_list, name="staff_extension_list"),
    path(C + "extensions/<int:pk>/", views.extension_decide, name="staff_extension_decide"),
]
