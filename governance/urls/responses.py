"""Consultations as the public and the respondents see them."""

from django.urls import path

from governance.views import responses as views

urlpatterns = [
    path("consultations/", views.consultation_list, name="consultation_list"),
    path("consultations/<slug:slug>/", views.consultation_detail, name="consultation_detail"),
    path("consultations/<slug:slug>/respond/", views.consultation_respond, name="consultation_respond"),
    path(
        "consultations/<slug:slug>/my-response/",
        views.consultation_my_response,
        name="consultation_my_response",
    ),
    path(
        "consultations/<slug:slug>/extension/",
        views.consultation_extension_request,
        name="consultation_extension_request",
    ),
    path(
        "consultations/<slug:slug>/responses/",
        views.consultation_public_responses,
        name="consultation_public_responses",
    ),
]
