from django.urls import path

from . import views

app_name = "credit"
urlpatterns: list = [
    path("institutions/<int:pk>/", views.institution_credit, name="institution_credit"),
]
