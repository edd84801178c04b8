"""Reader-facing views. Placeholder bodies until the public site lands."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from taggit.models import Tag

from .models import Article, Category


def home(request):
    return HttpResponse("Newsroom")


def article_list(request):
    return HttpResponse("Stories")


def article_detail(request, slug):
    article = get_object_or_404(Article.objects.published(), slug=slug)
    return HttpResponse(article.headline)


def category_detail(request, slug):
    category = get_object_or_404(Category, slug=slug)
    return HttpResponse(category.name)


def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    return HttpResponse(tag.name)
