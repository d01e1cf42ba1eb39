from django.urls import path

from governance.bodies import views

app_name = "bodies"

urlpatterns = [
    path("bodies/", views.body_list, name="body_list"),
    path("bodies/<slug:slug>/", views.body_detail, name="body_detail"),
]
