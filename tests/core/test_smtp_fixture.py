import smtplib

import pytest
from django.core.mail import EmailMessage, send_mail


def test_send_mail_arrives_at_the_smtp_server(smtp_server):
    send_mail(
        "Concern acknowledged", "We have your concern.", "candour@test.example", ["guardian@test.example"]
    )

    [mail] = smtp_server.messages
    assert mail.subject == "Concern acknowledged"
    assert mail.recipients == ["guardian@test.example"]
    assert mail.mail_from == "candour@test.example"
    assert "We have your concern." in mail.body


def test_each_recipient_is_delivered_separately_from_the_header(smtp_server):
    EmailMessage(
        "Board pack", "Attached.", "candour@test.example", ["exec@test.example"], bcc=["qa@test.example"]
    ).send()

    assert smtp_server.to("qa@test.example")[0].subject == "Board pack"
    assert "qa@test.example" not in smtp_server.messages[0].message.get("To", "")


def test_a_refused_address_is_refused_permanently(smtp_server):
    smtp_server.refuse("gone@test.example")

    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        send_mail("Hello", "Body", "candour@test.example", ["gone@test.example"])

    assert refused.value.recipients["gone@test.example"][0] == 550
    assert smtp_server.messages == []


def test_a_server_can_stop_taking_messages_part_way_until_it_recovers(smtp_server):
    smtp_server.fail_after(1)
    send_mail("First", "Body", "candour@test.example", ["a@test.example"])
    with pytest.raises(smtplib.SMTPDataError, match="451"):
        send_mail("Second", "Body", "candour@test.example", ["a@test.example"])
    smtp_server.recover()
    send_mail("Third", "Body", "candour@test.example", ["a@test.example"])

    assert [mail.subject for mail in smtp_server.messages] == ["First", "Third"]
