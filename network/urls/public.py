from django.urls import path

from network.views import public

urlpatterns = [
    path("", public.home, name="home"),
    path("join/", public.join, name="join"),
]
