from django.urls import path

from . import live, views

app_name = "reporting"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/today/", views.today_fragment, name="dashboard-today"),
    path("dashboard/daily.csv", views.daily_csv, name="dashboard-daily-csv"),
    path("dashboard/people.csv", views.people_csv, name="dashboard-people-csv"),
    path("wallboard/", live.wallboard_page, name="wallboard"),
    path("wallboard/board/", live.wallboard_fragment, name="wallboard-board"),
    path("wallboard/events/", live.events, name="wallboard-events"),
]
