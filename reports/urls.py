from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("request/", views.report_request_view, name="report_request"),
    path("<int:pk>/download/<str:fmt>/", views.report_download, name="report_download"),
]
