"""Reader-facing pages for people. Placeholder bodies until the public site lands."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from .models import Author, Official


def author_detail(request, slug):
    return HttpResponse(get_object_or_404(Author, slug=slug).name)


def official_detail(request, slug):
    return HttpResponse(get_object_or_404(Official, slug=slug).display_name)
