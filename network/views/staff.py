"""Scaffolding: replaced by the real views."""
from django.http import HttpResponse

def applications(request, *args, **kwargs):
    return HttpResponse('todo applications')

def income_groups(request, *args, **kwargs):
    return HttpResponse('todo income_groups')

def invite(request, *args, **kwargs):
    return HttpResponse('todo invite')

def means_test(request, *args, **kwargs):
    return HttpResponse('todo means_test')

def means_test_rule_delete(request, *args, **kwargs):
    return HttpResponse('todo means_test_rule_delete')

def means_test_rule_edit(request, *args, **kwargs):
    return HttpResponse('todo means_test_rule_edit')

def member_detail(request, *args, **kwargs):
    return HttpResponse('todo member_detail')

def membership_approve(request, *args, **kwargs):
    return HttpResponse('todo membership_approve')

def membership_fee_tier(request, *args, **kwargs):
    return HttpResponse('todo membership_fee_tier')

def membership_reject(request, *args, **kwargs):
    return HttpResponse('todo membership_reject')

def membership_request_information(request, *args, **kwargs):
    return HttpResponse('todo membership_request_information')

def membership_status(request, *args, **kwargs):
    return HttpResponse('todo membership_status')

def membership_term(request, *args, **kwargs):
    return HttpResponse('todo membership_term')

def organisation_detail(request, *args, **kwargs):
    return HttpResponse('todo organisation_detail')

def pledge_list(request, *args, **kwargs):
    return HttpResponse('todo pledge_list')

def pledge_publish(request, *args, **kwargs):
    return HttpResponse('todo pledge_publish')

def staff_home(request, *args, **kwargs):
    return HttpResponse('todo staff_home')
