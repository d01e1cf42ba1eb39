"""Scaffolding: replaced by the real views."""
from django.http import HttpResponse

def export_members(request, *args, **kwargs):
    return HttpResponse('todo export_members')

def import_detail(request, *args, **kwargs):
    return HttpResponse('todo import_detail')

def import_list(request, *args, **kwargs):
    return HttpResponse('todo import_list')

def import_new(request, *args, **kwargs):
    return HttpResponse('todo import_new')
