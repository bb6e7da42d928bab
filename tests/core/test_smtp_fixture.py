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
