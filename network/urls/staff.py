from django.urls import path

from network.views import staff

urlpatterns = [
    path("staff/", staff.staff_home, name="staff_home"),
    path("staff/applications/", staff.applications, name="staff_applications"),
    path("staff/members/<int:pk>/", staff.member_detail, name="staff_member_detail"),
    path("staff/members/<int:pk>/email/", staff.member_email, name="staff_member_email"),
    path("staff/members/<int:pk>/approve/", staff.membership_approve, name="staff_membership_approve"),
    path("staff/members/<int:pk>/reject/", staff.membership_reject, name="staff_membership_reject"),
    path(
        "staff/members/<int:pk>/request-information/",
        staff.membership_request_information,
        name="staff_membership_request_information",
    ),
    path("staff/members/<int:pk>/status/", staff.membership_status, name="staff_membership_status"),
    path("staff/members/<int:pk>/term/", staff.membership_term, name="staff_membership_term"),
    path("staff/members/<int:pk>/fee-tier/", staff.membership_fee_tier, name="staff_membership_fee_tier"),
    path("staff/organisations/<int:pk>/", staff.organisation_detail, name="staff_organisation_detail"),
    path(
        "staff/organisations/<int:pk>/contact/", staff.organisation_contact, name="staff_organisation_contact"
    ),
    path("staff/organisation-requests/", staff.organisation_requests, name="staff_organisation_requests"),
    path(
        "staff/organisation-requests/<int:pk>/", staff.organisation_request, name="staff_organisation_request"
    ),
    path(
        "staff/organisation-requests/<int:pk>/approve/",
        staff.organisation_request_approve,
        name="staff_organisation_request_approve",
    ),
    path(
        "staff/organisation-requests/<int:pk>/decline/",
        staff.organisation_request_decline,
        name="staff_organisation_request_decline",
    ),
    path("staff/invitations/new/", staff.invite, name="staff_invite"),
    path("staff/pledges/", staff.pledge_list, name="staff_pledges"),
    path("staff/pledges/new/", staff.pledge_publish, name="staff_pledge_publish"),
    path("staff/means-test/", staff.means_test, name="staff_means_test"),
    path("staff/means-test/rules/new/", staff.means_test_rule_edit, name="staff_means_test_rule_new"),
    path("staff/means-test/rules/<int:pk>/", staff.means_test_rule_edit, name="staff_means_test_rule_edit"),
    path(
        "staff/means-test/rules/<int:pk>/delete/",
        staff.means_test_rule_delete,
        name="staff_means_test_rule_delete",
    ),
    path("staff/means-test/countries/", staff.income_groups, name="staff_income_groups"),
]
