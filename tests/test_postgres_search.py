"""PostgreSQL's side of search: a tsvector column kept by a trigger, read through a GIN index.

What readers get is tested on both databases in tests/test_search.py; these
tests check the machinery only PostgreSQL has.
"""

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from articles import search
from articles.models import Article
from tests.factories import make_article

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
]


def story_columns():
    with connection.cursor() as cursor:
        return {
            column.name
            for column in connection.introspection.get_table_description(cursor, "articles_article")
        }


def plan_of(queryset):
    sql, params = queryset.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def document_of(story):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {search.POSTGRES_COLUMN}::text FROM articles_article WHERE id = %s",
            [story.pk],
        )
        return cursor.fetchone()[0]


def test_the_trigger_weighs_headline_dek_and_body(db):
    story = make_article("Harbour", subheadline="Tolls", body="Dredging")
    assert document_of(story) == "'dredg':3C 'harbour':1A 'toll':2B"


def test_the_column_follows_updates_that_send_no_signal(db):
    story = make_article("Harbour", body="Dredging")
    Article.objects.filter(pk=story.pk).update(headline="Airport")
    assert "'airport':1A" in document_of(story)


def test_search_can_read_the_gin_index(db):
    make_article("Harbour tolls rise")
    plan = plan_of(Article.objects.matching("harbour tol"))
    assert "Bitmap Index Scan on articles_article_search" in plan, plan


def test_django_never_reads_the_column(db):
    make_article("Harbour tolls rise")
    sql, _ = Article.objects.published().matching("harbour").query.sql_with_params()
    select_list = sql.split(" FROM ")[0]
    assert search.POSTGRES_COLUMN not in select_list
    assert search.POSTGRES_COLUMN not in {field.column for field in Article._meta.concrete_fields}


def test_the_search_migration_reverses_and_applies_again(db):
    call_command("migrate", "articles", "0005", verbosity=0)
    assert search.POSTGRES_COLUMN not in story_columns()
    call_command("migrate", "articles", verbosity=0)
    assert search.POSTGRES_COLUMN in story_columns()
    make_article("Harbour tolls rise")
    assert [story.headline for story in Article.objects.matching("harbour")] == [
        "Harbour tolls rise"
    ]
