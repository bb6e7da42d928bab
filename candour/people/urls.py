from django.urls import path

from candour.people import outbox_views, views

app_name = "people"
urlpatterns = [
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("two-factor/set-up/", views.set_up_two_factor, name="set_up_two_factor"),
    path("two-factor/", views.verify_two_factor, name="verify_two_factor"),
    path("people/", views.list_people, name="list_people"),
    path("people/<uuid:person_id>/", views.show_person, name="show_person"),
    path("organisation/", views.show_organisation, name="show_organisation"),
    path("audit-log/", views.list_audit_events, name="list_audit_events"),
    path("email/failed/", outbox_views.list_failed_emails, name="list_failed_emails"),
    path("email/failed/retry/", outbox_views.retry_failed_emails, name="retry_failed_emails"),
]
