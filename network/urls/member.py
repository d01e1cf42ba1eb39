from django.urls import path

from network.views import member

urlpatterns = [
    path("me/", member.me, name="me"),
    path("me/profile/", member.profile_edit, name="profile_edit"),
    path("me/organisation/", member.organisation_change, name="organisation_change"),
    path("me/pledges/", member.pledges, name="pledges"),
    path("me/reply/", member.reply_information, name="reply_information"),
    path("invitations/<str:token>/", member.invitation_accept, name="invitation_accept"),
]
