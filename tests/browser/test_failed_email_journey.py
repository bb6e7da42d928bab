"""Journey: an email the mail server would not take reaches an administrator's home page, and they send it
again from the list of failed emails."""

from playwright.sync_api import expect

from candour.core import outbox
from candour.core.models import OutboxMessage
from candour.people.roles import Role


def test_given_an_email_that_failed_when_the_administrator_sends_it_again_then_it_arrives(
    journey, make_user, smtp_server
):
    smtp_server.refuse("crew.lead@test.example")
    outbox.send(
        [("Candour: 1 new concern to triage", "Sign in to read it.", None, ["crew.lead@test.example"])]
    )
    outbox.deliver_due()
    admin = make_user(Role.SYSTEM_ADMIN)

    journey.sign_in(admin.email)
    journey.click_link("See them : Emails that could not be sent")  # as Chromium names it
    expect(journey.page.get_by_role("table")).to_contain_text("550 5.1.1 No such mailbox here")
    smtp_server.recover()
    journey.press_button("Send again : Candour: 1 new concern to triage to crew.lead@test.example")

    expect(journey.page.get_by_text("1 email will be sent again in a moment")).to_be_visible()
    assert outbox.deliver_due() == 1
    assert [mail.recipients for mail in smtp_server.messages] == [["crew.lead@test.example"]]
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT
