from django.urls import path

from candour.people import views

app_name = "people"
urlpatterns = [
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-in/forgotten/", views.forgot_password, name="forgot_password"),
    path("sign-in/forgotten/sent/", views.password_reset_sent, name="password_reset_sent"),
    path("sign-in/reset/<uuid:user_id>/<str:token>/", views.open_password_reset, name="open_password_reset"),
    path("sign-in/reset/<uuid:user_id>/", views.choose_new_password, name="choose_new_password"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("two-factor/set-up/", views.set_up_two_factor, name="set_up_two_factor"),
    path("two-factor/", views.verify_two_factor, name="verify_two_factor"),
    path("two-factor/recovery-code/", views.use_recovery_code, name="use_recovery_code"),
    path("account/recovery-codes/", views.show_recovery_codes, name="show_recovery_codes"),
    path("people/", views.list_people, name="list_people"),
    path("people/<uuid:person_id>/", views.show_person, name="show_person"),
    path("people/<uuid:person_id>/lift-pause/", views.lift_sign_in_pause, name="lift_sign_in_pause"),
    path("people/<uuid:person_id>/reset-two-factor/", views.reset_two_factor, name="reset_two_factor"),
    path("organisation/", views.show_organisation, name="show_organisation"),
    path("audit-log/", views.list_audit_events, name="list_audit_events"),
]
