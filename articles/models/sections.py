"""Sections of the site."""

from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse


class CategoryManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Category(models.Model):
    """A section of the site, e.g. Politics."""

    name = models.CharField(max_length=100, unique=True, help_text="Section name, e.g. “Politics”.")
    slug = models.SlugField(max_length=100, unique=True, help_text="Used in the section's address.")
    description = models.TextField(blank=True, help_text="Shown at the top of the section page.")

    objects = CategoryManager()

    class Meta:
        ordering = [Lower("name")]
        verbose_name = "category"
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:category", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)
