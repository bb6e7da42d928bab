from django.urls import path

from candour.people.views import directory, email, imports, password_reset, sign_in, two_factor

app_name = "people"
urlpatterns = [
    path("sign-in/", sign_in.sign_in, name="sign_in"),
    path("sign-in/forgotten/", password_reset.forgot_password, name="forgot_password"),
    path("sign-in/forgotten/sent/", password_reset.password_reset_sent, name="password_reset_sent"),
    path(
        "sign-in/reset/<uuid:user_id>/<str:token>/",
        password_reset.open_password_reset,
        name="open_password_reset",
    ),
    path("sign-in/reset/<uuid:user_id>/", password_reset.choose_new_password, name="choose_new_password"),
    path("sign-out/", sign_in.sign_out, name="sign_out"),
    path("two-factor/set-up/", two_factor.set_up_two_factor, name="set_up_two_factor"),
    path("two-factor/", two_factor.verify_two_factor, name="verify_two_factor"),
    path("two-factor/recovery-code/", two_factor.use_recovery_code, name="use_recovery_code"),
    path("account/recovery-codes/", two_factor.show_recovery_codes, name="show_recovery_codes"),
    path("people/", directory.list_people, name="list_people"),
    path("people/<uuid:person_id>/", directory.show_person, name="show_person"),
    path("people/<uuid:person_id>/lift-pause/", directory.lift_sign_in_pause, name="lift_sign_in_pause"),
    path("people/<uuid:person_id>/reset-two-factor/", directory.reset_two_factor, name="reset_two_factor"),
    path("organisation/", directory.show_organisation, name="show_organisation"),
    path("audit-log/", directory.list_audit_events, name="list_audit_events"),
    path("email/failed/", email.list_failed_emails, name="list_failed_emails"),
    path("email/failed/retry/", email.retry_failed_emails, name="retry_failed_emails"),
    path("imports/", imports.list_imports, name="list_imports"),
    path("imports/jobs/<uuid:job_id>/", imports.show_import_job, name="show_import_job"),
    path("imports/<slug:feed>/", imports.upload_feed, name="upload_feed"),
    path("imports/<slug:feed>/template.csv", imports.download_feed_template, name="download_feed_template"),
]
