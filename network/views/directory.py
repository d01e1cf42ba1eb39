"""The member directories: the secretariat's, of every member, and the members' own, of those listed.

Each view validates its filter form (django-filter) and reads through one selector.
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from network import selectors
from network.filters import DirectoryFilter, MemberFilter
from network.permissions import directory_required, member_of, secretariat_required


class IdsFirstPaginator(Paginator):
    """Finds the ids of a page first, then loads those rows with everything joined and computed.

    The pledge state is computed per row; with a plain OFFSET the database would compute it for
    every row skipped too, so page 400 of 20,000 members would be far slower than page 1. With
    ``rows`` (ids → queryset), the count and the ids come from the lean ``object_list`` and only
    the page's rows are loaded with their joins.
    """

    def __init__(self, object_list, per_page, *, rows=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.rows = rows

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = self.object_list.values("pk")[bottom:top]  # a subquery: the page is one query
        rows = self.rows(ids) if self.rows else self.object_list.filter(pk__in=ids)
        return self._get_page(rows, number, self)


@secretariat_required
@require_GET
def staff_directory(request):
    """Every member, searched and filtered, one page at a time.

    Queries, whatever the number of members: the viewer's session and account (with its member
    record, role and MFA flags); the options of the chamber, sector and sub-chamber filters and the
    countries members come from (plus one per chosen option, to validate it); the paginator's count;
    one page of members with their organisation, sector, chamber, sub-chamber and membership joined
    and whether they affirmed the pledges in force computed in the same query.
    """
    member_filter = MemberFilter(request.GET or None, queryset=selectors.member_search_for_staff())
    paginator = IdsFirstPaginator(
        member_filter.qs, settings.MEMBERS_PAGE_SIZE, rows=selectors.member_rows_for_staff
    )
    return render(
        request,
        "network/directory/staff_directory.html",
        {"filter": member_filter, "page": paginator.get_page(request.GET.get("page"))},
    )


@directory_required
@require_GET
def directory(request):
    """Active members who chose to be listed, for active members and the secretariat. No emails.

    Queries, whatever the number of members: the viewer's session and account (with its member
    record, membership and role flags), the chamber filter's options and the listed members'
    countries, the paginator's count and one page of members.
    """
    directory_filter = DirectoryFilter(
        request.GET or None, queryset=selectors.member_directory_for(user=request.user)
    )
    page = Paginator(directory_filter.qs, settings.MEMBERS_PAGE_SIZE).get_page(request.GET.get("page"))
    language_names = dict(settings.LANGUAGES)
    for member in page:
        member.language_names = [language_names.get(code, code) for code in member.languages or []]
    viewer = member_of(request.user)
    return render(
        request,
        "network/directory/directory.html",
        {"filter": directory_filter, "page": page, "viewer_member_id": viewer.pk if viewer else None},
    )
