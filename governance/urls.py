from django.urls import path

from governance import views

app_name = "governance"

urlpatterns = [
    path("bodies/", views.body_list, name="body_list"),
    path("bodies/<slug:slug>/", views.body_detail, name="body_detail"),
]
