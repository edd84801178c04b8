"""Full-text search for each database, and the indexes the public pages read along.

The search index is not a model field: on PostgreSQL a tsvector column kept by
a trigger with a GIN index, on SQLite an FTS5 table kept by triggers (see
articles.search, which holds the statements for both).
"""

from django.db import migrations, models

import articles.models.story
from articles import search


def install_search(apps, schema_editor):
    search.install(schema_editor)


def uninstall_search(apps, schema_editor):
    search.uninstall(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_record_times_help"),
        ("people", "0001_initial"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.RunPython(install_search, uninstall_search, elidable=False),
        migrations.RemoveIndex(
            model_name="article",
            name="article_status_published",
        ),
        migrations.AddIndex(
            model_name="article",
            index=articles.models.story.NewestFirstIndex(
                models.F("status"),
                models.OrderBy(models.F("published_at"), descending=True, nulls_last=True),
                models.OrderBy(models.F("id"), descending=True),
                name="article_newest_first",
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=articles.models.story.NewestFirstIndex(
                models.F("category"),
                models.F("status"),
                models.OrderBy(models.F("published_at"), descending=True, nulls_last=True),
                models.OrderBy(models.F("id"), descending=True),
                name="article_section_newest_first",
            ),
        ),
        migrations.AddIndex(
            model_name="byline",
            index=models.Index(fields=["author", "article"], name="byline_by_author"),
        ),
        migrations.AddIndex(
            model_name="taggedarticle",
            index=models.Index(fields=["tag", "content_object"], name="tagged_article_by_tag"),
        ),
    ]
