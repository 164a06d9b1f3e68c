from django.urls import path

from . import api, live

urlpatterns = [
    path("stats/daily/", api.DailyStatsView.as_view(), name="api-stats-daily"),
    path("stats/agents/", api.AgentStatsView.as_view(), name="api-stats-agents"),
    path("stats/staffing/", api.StaffingView.as_view(), name="api-stats-staffing"),
    path("wallboard/", live.WallboardView.as_view(), name="api-wallboard"),
]
