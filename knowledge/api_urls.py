from django.urls import path

from . import api

urlpatterns = [
    path("answers/", api.AnswerListView.as_view(), name="api-answers"),
    path("answers/<slug:slug>/", api.AnswerDetailView.as_view(), name="api-answer"),
]
