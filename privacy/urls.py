from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("privacy/", views.privacy_page, name="page"),
    path("accounts/me/export/", views.account_export_view, name="account-export"),
    path("accounts/me/delete/", views.AccountDeleteView.as_view(), name="account-delete"),
]
