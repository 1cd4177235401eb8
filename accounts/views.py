"""The home page: one entry point that shows each role where its work is."""

from django.shortcuts import render


def home(request):
    """Render the home page; its links depend on the user's role (anonymous: public pages)."""
    return render(request, "home.html")
