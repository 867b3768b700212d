from django.urls import path

from clinic.twofactor import views

urlpatterns = [
    path("", views.overview, name="two-factor"),
    path("verify/", views.verify, name="two-factor-verify"),
    path("setup/", views.setup, name="two-factor-setup"),
    path("recovery-codes/", views.recovery_codes, name="two-factor-recovery-codes"),
    path("recovery-codes/renew/", views.renew_recovery_codes, name="two-factor-renew-codes"),
    path("replace/", views.replace_authenticator, name="two-factor-replace"),
]
