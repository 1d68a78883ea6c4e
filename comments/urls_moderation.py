from django.urls import path

from . import views_moderation

app_name = "moderation"

urlpatterns = [
    path("<int:pk>/report/", views_moderation.report, name="report"),
]
