from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("privacy/personal-data/", views.personal_data, name="personal-data"),
    path("privacy/access-review/", views.access_review, name="access-review"),
]
