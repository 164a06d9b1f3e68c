from django.urls import path

from . import views

app_name = "knowledge"

urlpatterns = [
    path("answers/", views.answer_list, name="list"),
    path("answers/new/", views.answer_new, name="new"),
    path("answers/suggest/", views.suggestions_fragment, name="suggest"),
    path("answers/<slug:slug>/", views.answer_detail, name="detail"),
    path("answers/<slug:slug>/edit/", views.answer_edit, name="edit"),
]
