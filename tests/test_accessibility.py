"""axe-core over every page each role of the permission matrix may see, in Chromium.

Roles: a visitor, an applicant, an active member and the secretariat (password, then a TOTP code),
each logged in through the real forms in a context of its own. The pages are the matrix's own
(``tests/test_permission_matrix.MATRIX``, with its ``url_args`` objects): every GET that answers the
role with 200; then allauth's pages of one's account (``ACCOUNT_PAGES``), a page that shows a flash
message, forms with errors, the second factor's code page, and the 403 and 404 pages.

The engine is the copy vendored from the npm registry under ``tests/a11y/vendor/``, injected into
each page; nothing is fetched at run time. A critical or serious violation fails the test, and so
does a ``heading-order`` one whatever its impact; the failure lists rule, impact, targets and page.
"""

import re
import time
from pathlib import Path

import pytest
from django.contrib.sites.models import Site
from django.urls import reverse

from casm.testing import totp_code
from tests.test_permission_matrix import MATRIX, url_args  # noqa: F401 - url_args is a fixture

AXE = Path(__file__).parent / "a11y" / "vendor" / "axe-core-4.14.1" / "axe.min.js"
PASSWORD = "correct horse battery staple"  # the factories' password
FAILING_IMPACTS = {"critical", "serious"}
ALWAYS_FAILING_RULES = {"heading-order"}
# The matrix's role names for the four roles scanned here (its "staff" is the secretariat with TOTP).
ROLES = {"visitor": "visitor", "applicant": "applicant", "member": "member", "secretariat": "staff"}
# allauth's pages (outside the matrix, which covers the project's own apps) each role may see.
_OWN_ACCOUNT = ("account_email", "account_change_password", "account_logout", "mfa_index")
ACCOUNT_PAGES = {
    "visitor": ("account_reset_password", "account_reset_password_done", "account_inactive"),
    "applicant": (*_OWN_ACCOUNT, "mfa_activate_totp"),
    "member": (*_OWN_ACCOUNT, "mfa_activate_totp"),
    "secretariat": _OWN_ACCOUNT,
}
# Pages answering 200 that are not HTML: a health check (JSON) and downloads (CSV).
NOT_HTML = {
    "healthz",
    "network:staff_export",
    "network:staff_import_template",
    "consultations:consultation_export",
}


def _pages_for(role: str, args: dict) -> list[tuple[str, str]]:
    """(URL name, path) of every HTML page the matrix lets ``role`` GET with a 200."""
    pages = []
    for name, (placeholders, expected) in MATRIX.items():
        if expected[ROLES[role]] == 200 and name not in NOT_HTML:
            pages.append((name, reverse(name, args=[args[key] for key in placeholders])))
    return pages


def _axe(page, where: str) -> list[dict]:
    """Run axe on the page as it is; return its violations, each with the page it was found on."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        r"""async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            const brief = (v, review) => ({
                id: v.id, impact: v.impact, help: v.help, review,
                targets: v.nodes.map(n => n.target.join(' ')),
            });
            // "incomplete": what axe could not decide (contrast over an image, say), to review by hand.
            const found = r.violations.map(v => brief(v, false))
                .concat(r.incomplete.map(v => brief(v, true)));
            // axe leaves a reference to a missing id "to review"; here it fails (a help text without its id).
            const dangling = [];
            for (const attr of ['aria-describedby', 'aria-labelledby', 'aria-controls', 'for']) {
                for (const el of document.querySelectorAll(`[${attr}]`)) {
                    for (const id of el.getAttribute(attr).split(/\s+/).filter(Boolean)) {
                        if (!document.getElementById(id))
                            dangling.push(`${el.tagName.toLowerCase()}[${attr}=${id}]`);
                    }
                }
            }
            if (dangling.length) found.push({id: 'dangling-id-reference', impact: 'serious', review: false,
                help: 'ARIA and label references must name an element of the page', targets: dangling});
            return found;
        }"""
    )
    for violation in result:
        violation["page"] = where
    return result


def _failing(violation: dict) -> bool:
    if violation.get("review"):
        return False
    return violation["impact"] in FAILING_IMPACTS or violation["id"] in ALWAYS_FAILING_RULES


def _report(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = ", ".join(v["targets"][:6]) + (" …" if len(v["targets"]) > 6 else "")
        kind = "to review: " if v.get("review") else ""
        lines.append(f"{kind}{v['id']} ({v['impact']}) on {v['page']}: {v['help']}\n    {targets}")
    return "\n".join(lines)


def _log_in(page, base: str, user, *, totp: bool = False, on_code_page=None) -> None:
    page.goto(f"{base}/accounts/login/")
    main = page.locator("main")
    main.get_by_label("Email:", exact=True).fill(user.email)
    main.get_by_label("Password:", exact=True).fill(PASSWORD)
    main.get_by_role("button", name="Sign In").click()
    if totp:
        page.wait_for_url(re.compile(r".*/accounts/2fa/authenticate/.*"))
        if on_code_page:
            on_code_page()
        main.get_by_label("Code:", exact=True).fill(totp_code(user))
        main.get_by_role("button", name="Sign In").click()
    page.wait_for_url(lambda url: "/accounts/" not in url)


def _submit_without_browser_checks(page, form) -> None:
    """Submit ``form`` as it is, bypassing the browser's own checks, to see the server's errors."""
    form.evaluate("f => { f.noValidate = true; }")
    form.locator("button[type=submit]").last.click()
    page.wait_for_load_state()


def _errors_are_tied_to_fields(page, where: str) -> list[dict]:
    """Every field shown with errors is invalid and points at them with aria-describedby."""
    problems = page.evaluate(
        """() => {
            const out = [];
            for (const list of document.querySelectorAll('main ul.errorlist:not(.nonfield)')) {
                // The invalid field itself, or the fieldset of a group (Django 5.2's checkboxes or radios,
                // a section of the response form whose ranking as a whole is refused).
                const field = document.querySelector(`[aria-describedby~="${list.id}"]`);
                const invalid = field && (field.getAttribute('aria-invalid') === 'true'
                    || field.tagName === 'FIELDSET');
                if (!list.id || !invalid)
                    out.push(list.id || list.outerHTML.slice(0, 80));
            }
            return out;
        }"""
    )
    return [
        {"id": "field-errors-described", "impact": "serious", "help": "errors tied to their field",
         "targets": problems, "page": where}
    ] if problems else []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_page_of_the_matrix_passes_axe(
    live_server, _playwright, url_args, staff_user, member, applicant  # noqa: F811
):
    Site.objects.get_or_create(pk=1, defaults={"domain": "localhost", "name": "CASM Portal"})
    base = live_server.url
    users = {"applicant": applicant.user, "member": member.user, "secretariat": staff_user}
    started = time.monotonic()
    found: list[dict] = []
    scanned = 0

    for role in ROLES:
        context = _playwright.new_context(locale="en-GB", viewport={"width": 1100, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15000)
        try:
            if role == "visitor":
                # The log-in form with an error, and the sign-up form with its errors.
                page.goto(f"{base}/accounts/login/")
                main = page.locator("main")
                main.get_by_label("Email:", exact=True).fill("nobody@example.org")
                main.get_by_label("Password:", exact=True).fill("wrong password")
                main.get_by_role("button", name="Sign In").click()
                page.wait_for_load_state()
                found += _axe(page, "log-in form with an error (visitor)")
                page.goto(f"{base}{reverse('account_signup')}")
                _submit_without_browser_checks(page, page.locator("main form").first)
                assert page.locator("main .errorlist").count() > 0
                found += _axe(page, "sign-up form with errors (visitor)")
                found += _errors_are_tied_to_fields(page, "sign-up form with errors (visitor)")
                scanned += 2
            else:
                def scan_code_page(page=page, role=role, found=found):
                    found.extend(_axe(page, f"second factor's code page ({role})"))

                _log_in(page, base, users[role], totp=role == "secretariat", on_code_page=scan_code_page)
                scanned += role == "secretariat"
                # allauth's "Successfully signed in" message is on the page logged in to.
                assert page.locator("main .messages li").count() > 0, page.url
                found += _axe(page, f"flash message after log-in ({role}) {page.url}")
                scanned += 1
            account_pages = [(name, reverse(name)) for name in ACCOUNT_PAGES[role]]
            for name, path in _pages_for(role, url_args) + account_pages:
                response = page.goto(base + path)
                assert response.status == 200, (role, name, response.status)
                assert "text/html" in response.headers.get("content-type", ""), (role, name)
                found += _axe(page, f"{name} {path} ({role})")
                scanned += 1
            if role == "member":
                # A form with errors, sent by the server (the browser's checks set aside).
                page.goto(base + reverse("network:profile_edit"))
                form = page.locator("main form").first
                form.locator("input[name=full_name]").fill("")
                _submit_without_browser_checks(page, form)
                assert page.locator("main .errorlist").count() > 0
                found += _axe(page, "profile form with errors (member)")
                found += _errors_are_tied_to_fields(page, "profile form with errors (member)")
                # The response form with errors: two options ranked first, and no reason given.
                respond = reverse("consultations:consultation_respond", args=[url_args["consultation"]])
                page.goto(base + respond)
                main = page.locator("main")
                main.get_by_label("Your rank for A. Option A").select_option("1")
                main.get_by_label("Your rank for B. Option B").select_option("1")
                main.get_by_role("button", name="Submit", exact=True).click()
                page.wait_for_load_state()
                assert page.locator("#form-errors").count() == 1
                found += _axe(page, "response form with errors (member)")
                found += _errors_are_tied_to_fields(page, "response form with errors (member)")
                scanned += 1
                # The 403 and 404 pages.
                page.goto(base + reverse("network:staff_home"))
                found += _axe(page, "403 page (member)")
                page.goto(base + "/no-such-page/")
                found += _axe(page, "404 page (member)")
                scanned += 3
        finally:
            context.close()

    failing = [v for v in found if _failing(v)]
    review = [v for v in found if v.get("review")]
    print(f"\naxe: {scanned} pages in {time.monotonic() - started:.1f}s; {len(found) - len(review)} "
          f"violations, {len(failing)} failing; {len(review)} results for review")
    if found:
        print(_report(found))
    assert not failing, "accessibility violations:\n" + _report(failing)


def _log_in_with_cookie(page, base: str, user) -> None:
    """The secretariat's session (password and TOTP passed), handed to the browser as its cookie."""
    from django.conf import settings
    from django.test import Client

    from casm.testing import log_in_with_second_factor

    client = Client()
    log_in_with_second_factor(client, user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}])


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_import_progress_updates_in_place_then_shows_the_finished_import(live_server, page, staff_user):
    """No meta refresh (axe's meta-refresh): a script updates the progress without reloading the page."""
    from network.models import ImportJob

    job = ImportJob.objects.create(
        created_by=staff_user,
        filename="big.csv",
        content="",
        status="running",
        total_rows=10,
        processed_rows=4,
    )
    _log_in_with_cookie(page, live_server.url, staff_user)
    page.goto(live_server.url + job.get_absolute_url())
    page.get_by_text("checking rows, 4 of 10").wait_for()
    assert page.locator('meta[http-equiv="refresh"]').count() == 0
    page.evaluate("window.notReloaded = true")

    ImportJob.objects.filter(pk=job.pk).update(processed_rows=8)
    page.get_by_text("checking rows, 8 of 10").wait_for(timeout=10000)
    assert page.locator("#import-progress").get_attribute("value") == "40"  # step 1 of 2

    ImportJob.objects.filter(pk=job.pk).update(status="done", processed_rows=10)
    page.locator("#import-progress").wait_for(state="detached", timeout=10000)
    assert page.locator("main .badge").first.inner_text() == "Imported"
    assert page.evaluate("window.notReloaded") is True


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_keyboard_reaches_the_skip_link_first_and_every_scrolling_table(live_server, page, staff_user):
    """Tab from the top: the skip link comes first; each sideways-scrolling table takes focus and
    scrolls with the arrow keys."""
    _log_in_with_cookie(page, live_server.url, staff_user)
    page.goto(live_server.url + reverse("network:staff_home"))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")

    page.set_viewport_size({"width": 360, "height": 800})  # narrow: the wide tables scroll sideways
    page.goto(live_server.url + reverse("network:staff_mail"))
    regions = page.locator("main .table-scroll")
    assert regions.count() > 0
    region = regions.first
    reached = False
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('table-scroll')"):
            reached = True
            break
    assert reached, "no scrolling table was reached with Tab"
    assert page.evaluate("document.activeElement.scrollWidth > document.activeElement.clientWidth")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("document.activeElement.scrollLeft > 0")
    assert region.get_attribute("tabindex") == "0"
