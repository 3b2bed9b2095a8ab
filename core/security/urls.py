from django.urls import path

from core.security import views

urlpatterns = [
    path("setup/", views.setup, name="security_2fa_setup"),
    path("verify/", views.verify, name="security_2fa_verify"),
    path("recovery/", views.recovery, name="security_2fa_recovery"),
]
