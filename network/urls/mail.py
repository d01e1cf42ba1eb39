from django.urls import path

from network.views import mail

urlpatterns = [
    path("staff/mail/", mail.mail_list, name="staff_mail"),
    path("staff/mail/<int:pk>/", mail.mail_notice, name="staff_mail_notice"),
    path("staff/mail/<int:pk>/retry/", mail.mail_retry, name="staff_mail_retry"),
]
