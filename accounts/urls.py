from django.contrib.auth import views as auth_views
from django.urls import path

from . import inbox, otp

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="accounts/login.html"),
         name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("otp/", otp.otp_verify, name="otp_verify"),
    path("otp/setup/", otp.otp_setup, name="otp_setup"),
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/<int:pk>/open/", inbox.notification_open_view, name="notification_open"),
    path("inbox/read-all/", inbox.inbox_read_all, name="inbox_read_all"),
]
