"""Django admin runs under a content security policy of its own, and works under it in a real browser:
no script, style or image on any admin page is refused by the policy."""

import pytest

from candour.people.models import CoreService, OrgUnit
from candour.people.roles import Role
from tests.support.browser import sign_in

# Collected in the page itself, before any of its scripts run.
REPORT_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", event => window.__violations.push(
    `${event.violatedDirective} refused ${event.blockedURI || "inline"} at ${event.sourceFile}`
));
"""


@pytest.fixture
def strict_page(browser):
    # Unlike the journeys' pages, this one keeps the page's own policy: that is what is being tested.
    context = browser.new_context(locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(10_000)
    context.add_init_script(REPORT_VIOLATIONS)
    yield context.new_page()
    context.close()


def test_given_an_administrator_when_they_use_django_admin_then_nothing_is_refused_by_its_policy(
    strict_page, live_server, make_user
):
    admin = make_user(Role.SYSTEM_ADMIN)
    sign_in(strict_page, live_server, admin.email)
    station = OrgUnit.objects.filter(kind=OrgUnit.Kind.STATION).first()
    pages = [
        "/admin/",
        "/admin/people/orgunit/",
        "/admin/people/orgunit/?kind__exact=station",
        f"/admin/people/orgunit/{station.pk}/change/",
        "/admin/people/coreservice/add/",
        f"/admin/people/coreservice/{CoreService.objects.first().pk}/change/",
        "/admin/people/jobrole/",
    ]
    refused, policies = [], set()
    for path in pages:
        response = strict_page.goto(live_server.url + path)
        assert response.status == 200, path
        policies.add(response.headers.get("content-security-policy"))
        strict_page.wait_for_load_state("load")
        # A prepopulated slug and the collapsible filter are driven by admin's own scripts.
        refused += [f"{path}: {violation}" for violation in strict_page.evaluate("window.__violations")]

    assert None not in policies, "an admin page was sent without a content security policy"
    assert not refused, "\n".join(refused)
    strict_page.goto(live_server.url + "/admin/people/coreservice/add/")
    strict_page.locator("#id_name").press_sequentially("Hazardous area response")
    assert strict_page.input_value("#id_slug") == "hazardous-area-response", "admin's scripts did not run"
