"""Scaffolding: replaced by the real views."""
from django.http import HttpResponse

def invitation_accept(request, *args, **kwargs):
    return HttpResponse('todo invitation_accept')

def me(request, *args, **kwargs):
    return HttpResponse('todo me')

def pledges(request, *args, **kwargs):
    return HttpResponse('todo pledges')

def profile_edit(request, *args, **kwargs):
    return HttpResponse('todo profile_edit')

def reply_information(request, *args, **kwargs):
    return HttpResponse('todo reply_information')
