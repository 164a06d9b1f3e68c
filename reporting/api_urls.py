from django.urls import path

from . import api

urlpatterns = [
    path("stats/daily/", api.DailyStatsView.as_view(), name="api-stats-daily"),
    path("stats/agents/", api.AgentStatsView.as_view(), name="api-stats-agents"),
]
