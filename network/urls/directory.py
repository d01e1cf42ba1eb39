from django.urls import path

from network.views import directory

urlpatterns = [
    path("members/", directory.directory, name="directory"),
    path("staff/members/", directory.staff_directory, name="staff_directory"),
]
