from django.urls import path

from people.accounts import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="account_login"),
    path("logout/", views.LogoutView.as_view(), name="account_logout"),
    path("activate/", views.activate, name="account_activate"),
    path("activate/<str:token>/", views.activate, name="account_activate_link"),
]
