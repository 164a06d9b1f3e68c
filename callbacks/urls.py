from django.urls import path

from . import views

app_name = "callbacks"

urlpatterns = [
    path("callbacks/", views.callback_list, name="list"),
    path("callbacks/next/", views.take_next, name="next"),
    path("callbacks/<int:pk>/", views.detail, name="detail"),
    path("callbacks/<int:pk>/claim/", views.claim, name="claim"),
    path("callbacks/<int:pk>/outcome/", views.outcome, name="outcome"),
]
