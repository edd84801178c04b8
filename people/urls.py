"""Public URLs for authors and the officials quoted in stories."""

from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("authors/<slug:slug>/", views.author_detail, name="author"),
    path("officials/<slug:slug>/", views.official_detail, name="official"),
]
