"""The committee's analysis of a consultation, its individual responses, CSV export and report."""

from django.urls import path

from governance.views import analysis as views

urlpatterns = [
    path("consultations/<slug:slug>/analysis/", views.analysis, name="consultation_analysis"),
    path(
        "consultations/<slug:slug>/analysis/options/<int:option_id>/rationale/",
        views.option_rationale,
        name="consultation_option_rationale",
    ),
    path(
        "consultations/<slug:slug>/analysis/sections/<int:section_id>/comments/",
        views.section_comments,
        name="consultation_section_comments",
    ),
    path(
        "consultations/<slug:slug>/analysis/comments/",
        views.general_comments,
        name="consultation_general_comments",
    ),
    path("consultations/<slug:slug>/analysis/responses/", views.responses, name="consultation_responses"),
    path(
        "consultations/<slug:slug>/analysis/responses/<int:pk>/",
        views.response_detail,
        name="consultation_response_detail",
    ),
    path("consultations/<slug:slug>/analysis/export.csv", views.export_csv, name="consultation_export"),
    path("consultations/<slug:slug>/analysis/report/", views.report, name="consultation_report"),
]
