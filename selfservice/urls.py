from django.urls import path

from . import views

app_name = "selfservice"

urlpatterns = [
    path("tra-cuu/", views.lookup, name="lookup"),
    path("tra-cuu/goi-lai/", views.callback, name="callback"),
    path("tra-cuu/phieu/", views.ticket_lookup, name="ticket"),
    path("hoi-dap/", views.answers, name="answers"),
    path("hoi-dap/<slug:slug>/", views.answer, name="answer"),
]
