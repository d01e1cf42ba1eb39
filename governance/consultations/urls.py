"""URLs of consultations: the public and respondents' pages, the secretariat's, the analysis, reminders."""

from django.urls import path

from governance.consultations.views import analysis, reminders, responses, staff

app_name = "consultations"

P = "staff/consultations/"
C = P + "<slug:slug>/"

urlpatterns = [
    # responses
    path("consultations/", responses.consultation_list, name="consultation_list"),
    path("consultations/<slug:slug>/", responses.consultation_detail, name="consultation_detail"),
    path("consultations/<slug:slug>/respond/", responses.consultation_respond, name="consultation_respond"),
    path(
        "consultations/<slug:slug>/my-response/",
        responses.consultation_my_response,
        name="consultation_my_response",
    ),
    path(
        "consultations/<slug:slug>/extension/",
        responses.consultation_extension_request,
        name="consultation_extension_request",
    ),
    path(
        "consultations/<slug:slug>/responses/",
        responses.consultation_public_responses,
        name="consultation_public_responses",
    ),
    # consultations_staff
    path(P, staff.consultation_list, name="staff_consultation_list"),
    path(P + "new/", staff.consultation_new, name="staff_consultation_new"),
    path(C, staff.consultation_detail, name="staff_consultation_detail"),
    path(C + "edit/", staff.consultation_edit, name="staff_consultation_edit"),
    path(C + "publish/", staff.consultation_publish, name="staff_consultation_publish"),
    path(C + "delete/", staff.consultation_delete, name="staff_consultation_delete"),
    path(C + "preview/", staff.consultation_preview, name="staff_consultation_preview"),
    path(C + "history/", staff.consultation_history, name="staff_consultation_history"),
    path(C + "sections/new/", staff.section_new, name="staff_section_new"),
    path(C + "sections/<int:pk>/", staff.section_edit, name="staff_section_edit"),
    path(C + "sections/<int:pk>/delete/", staff.section_delete, name="staff_section_delete"),
    path(C + "sections/<int:pk>/move/", staff.section_move, name="staff_section_move"),
    path(C + "sections/<int:section_pk>/options/new/", staff.option_new, name="staff_option_new"),
    path(C + "options/<int:pk>/", staff.option_edit, name="staff_option_edit"),
    path(C + "options/<int:pk>/delete/", staff.option_delete, name="staff_option_delete"),
    path(C + "options/<int:pk>/move/", staff.option_move, name="staff_option_move"),
    path(C + "extensions/", staff.extension_list, name="staff_extension_list"),
    path(C + "extensions/<int:pk>/", staff.extension_decide, name="staff_extension_decide"),
    # analysis
    path("consultations/<slug:slug>/analysis/", analysis.analysis, name="consultation_analysis"),
    path(
        "consultations/<slug:slug>/analysis/options/<int:option_id>/rationale/",
        analysis.option_rationale,
        name="consultation_option_rationale",
    ),
    path(
        "consultations/<slug:slug>/analysis/sections/<int:section_id>/comments/",
        analysis.section_comments,
        name="consultation_section_comments",
    ),
    path(
        "consultations/<slug:slug>/analysis/comments/",
        analysis.general_comments,
        name="consultation_general_comments",
    ),
    path("consultations/<slug:slug>/analysis/responses/", analysis.responses, name="consultation_responses"),
    path(
        "consultations/<slug:slug>/analysis/responses/<int:pk>/",
        analysis.response_detail,
        name="consultation_response_detail",
    ),
    path("consultations/<slug:slug>/analysis/export.csv", analysis.export_csv, name="consultation_export"),
    path("consultations/<slug:slug>/analysis/report/", analysis.report, name="consultation_report"),
    # reminders
    path("reminders/stop/<str:token>/", reminders.reminder_stop, name="reminder_stop"),
    path(
        "staff/consultations/<slug:slug>/reminders/",
        reminders.staff_consultation_reminders,
        name="staff_consultation_reminders",
    ),
]
