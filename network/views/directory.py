"""Scaffolding: replaced by the real views."""
from django.http import HttpResponse

def directory(request, *args, **kwargs):
    return HttpResponse('todo directory')

def staff_directory(request, *args, **kwargs):
    return HttpResponse('todo staff_directory')
