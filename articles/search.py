"""Full-text search over stories: PostgreSQL's text search, or SQLite's FTS5.

Readers get the same search on both databases: every word they type must
appear in the headline, the dek or the body (the last word may be the start of
a longer one, so "sanc" finds "sanctions"); words are compared by their stem,
so "voted" finds "votes", and the commonest English words ("the", "and") are
not looked for; a match in the headline weighs most, then the dek, then the
body. Whatever a reader types is only ever searched for as words:
quotes, operators and brackets are never passed to the database as query
syntax, so no search can fail to parse.

PostgreSQL
    The column ``articles_article.search_document`` (a ``tsvector`` of the
    headline, dek and body weighted A, B and C) is filled in by a trigger on
    every insert and on every update of those fields, and indexed with GIN.
    It is not a model field, so Django never reads it, writes it, serialises
    it or keeps it in revisions. Results are ranked with ``ts_rank``.

SQLite
    The FTS5 table ``articles_article_search`` indexes the same three fields,
    with the Porter stemmer. It reads its text from ``articles_article``
    (external content) and triggers keep it in step with every insert, update
    and delete. Results are ranked with ``bm25`` weighted like PostgreSQL's
    A, B and C.

Both are made by the migration ``0006_search_and_listing_indexes`` through
``install()``. SQLite drops a table's triggers whenever Django rebuilds that
table (many field changes do), so after every ``migrate`` the SQLite triggers
are put back if a migration removed them, and the index rebuilt
(``restore_after_migrate``).
"""

import functools
import re
from contextlib import contextmanager

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connections
from django.db.models import Expression, F, FloatField
from django.db.models.expressions import Col, RawSQL
from django.db.models.signals import post_migrate
from django.dispatch import receiver

POSTGRES_CONFIG = "english"

# PostgreSQL -------------------------------------------------------------------------------

POSTGRES_COLUMN = "search_document"

POSTGRES_INSTALL = [
    f"ALTER TABLE articles_article ADD COLUMN {POSTGRES_COLUMN} tsvector",
    f"""
    CREATE FUNCTION articles_article_search_document() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        NEW.{POSTGRES_COLUMN} :=
            setweight(to_tsvector('{POSTGRES_CONFIG}', coalesce(NEW.headline, '')), 'A')
            || setweight(to_tsvector('{POSTGRES_CONFIG}', coalesce(NEW.subheadline, '')), 'B')
            || setweight(to_tsvector('{POSTGRES_CONFIG}', coalesce(NEW.body, '')), 'C');
        RETURN NEW;
    END
    $$
    """,
    """
    CREATE TRIGGER articles_article_search_document
    BEFORE INSERT OR UPDATE OF headline, subheadline, body ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_article_search_document()
    """,
    # Fires the trigger for the stories already there.
    "UPDATE articles_article SET headline = headline",
    f"CREATE INDEX articles_article_search ON articles_article USING gin ({POSTGRES_COLUMN})",
]

POSTGRES_UNINSTALL = [
    "DROP INDEX IF EXISTS articles_article_search",
    "DROP TRIGGER IF EXISTS articles_article_search_document ON articles_article",
    "DROP FUNCTION IF EXISTS articles_article_search_document()",
    f"ALTER TABLE articles_article DROP COLUMN IF EXISTS {POSTGRES_COLUMN}",
]

# SQLite -----------------------------------------------------------------------------------

SQLITE_TABLE = "articles_article_search"

# bm25 weights of headline, dek and body, in the proportions of PostgreSQL's
# default weights for A, B and C (1.0, 0.4, 0.2).
SQLITE_WEIGHTS = (1.0, 0.4, 0.2)

_INDEX_NEW = (
    f"INSERT INTO {SQLITE_TABLE} (rowid, headline, subheadline, body) "
    "VALUES (new.id, new.headline, new.subheadline, new.body)"
)
# An external-content FTS5 table forgets a row when told the text it indexed.
_FORGET_OLD = (
    f"INSERT INTO {SQLITE_TABLE} ({SQLITE_TABLE}, rowid, headline, subheadline, body) "
    "VALUES ('delete', old.id, old.headline, old.subheadline, old.body)"
)

SQLITE_TRIGGERS = {
    "articles_article_search_insert": f"""
    CREATE TRIGGER articles_article_search_insert AFTER INSERT ON articles_article BEGIN
        {_INDEX_NEW};
    END
    """,
    "articles_article_search_delete": f"""
    CREATE TRIGGER articles_article_search_delete AFTER DELETE ON articles_article BEGIN
        {_FORGET_OLD};
    END
    """,
    "articles_article_search_update": f"""
    CREATE TRIGGER articles_article_search_update
    AFTER UPDATE OF id, headline, subheadline, body ON articles_article BEGIN
        {_FORGET_OLD};
        {_INDEX_NEW};
    END
    """,
}

SQLITE_REBUILD = f"INSERT INTO {SQLITE_TABLE} ({SQLITE_TABLE}) VALUES ('rebuild')"

SQLITE_INSTALL = [
    f"""
    CREATE VIRTUAL TABLE {SQLITE_TABLE} USING fts5(
        headline, subheadline, body,
        content='articles_article', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 0'
    )
    """,
    *SQLITE_TRIGGERS.values(),
    SQLITE_REBUILD,
]

SQLITE_UNINSTALL = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS),
    f"DROP TABLE IF EXISTS {SQLITE_TABLE}",
]


def install(schema_editor):
    """Create the search index of the database `schema_editor` works on, and fill it."""
    _execute(schema_editor, POSTGRES_INSTALL, SQLITE_INSTALL)


def uninstall(schema_editor):
    """Drop what `install` created."""
    _execute(schema_editor, POSTGRES_UNINSTALL, SQLITE_UNINSTALL)


def _execute(schema_editor, postgres_statements, sqlite_statements):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": postgres_statements, "sqlite": sqlite_statements}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement, params=None)


@receiver(post_migrate)
def restore_after_migrate(sender, using, **kwargs):
    """Put back the SQLite triggers a table rebuild removed, and rebuild the index.

    Django's SQLite schema editor changes a field by copying the table to a new
    one and dropping the old, which drops its triggers with it; stories saved
    after that would be missing from search.
    """
    connection = connections[using]
    if connection.vendor != "sqlite" or sender.label != "articles":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name LIKE %s",
            [f"{SQLITE_TABLE}%"],
        )
        present = {name for (name,) in cursor.fetchall()}
        if SQLITE_TABLE not in present:
            return  # not migrated that far yet, or migrated back
        missing = [sql for name, sql in SQLITE_TRIGGERS.items() if name not in present]
        for statement in missing:
            cursor.execute(statement)
        if missing:
            cursor.execute(SQLITE_REBUILD)


@contextmanager
def indexed_after_bulk_load(connection):
    """Index the stories inserted in the block once, at its end, instead of one by one.

    On SQLite the insert trigger feeds FTS5 a row at a time, which costs more
    than the bulk insert itself; while the block runs it is dropped, and the
    index is rebuilt from the table afterwards, also when the block fails. Only
    for blocks that insert stories and change none: updates and deletes are
    still indexed as they happen. Elsewhere this does nothing.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS articles_article_search_insert")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(SQLITE_TRIGGERS["articles_article_search_insert"])
            cursor.execute(SQLITE_REBUILD)


# Querying ---------------------------------------------------------------------------------


# PostgreSQL's English stop words (tsearch_data/english.stop). Neither database
# looks for them, so "the harbour" finds what "harbour" finds on both.
_ENGLISH_STOP_WORDS = """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she
    her hers herself it its itself they them their theirs themselves what which who whom this that
    these those am is are was were be been being have has had having do does did doing a an the and
    but if or because as until while of at by for with about against between into through during
    before after above below to from up down in out on off over under again further then once here
    there when where why how all any both each few more most other some such no nor not only own
    same so than too very s t can will just don should now
"""
STOP_WORDS = frozenset(_ENGLISH_STOP_WORDS.split())


def search_terms(words: list[str]) -> list[tuple[str, list[str]]]:
    """Each word with the tokens it is indexed by: letters and digits, stop words left out.

    A word with nothing else in it ("the", "_", "--") is left out altogether.
    """
    terms = []
    for word in words:
        tokens = [token for token in re.findall(r"[^\W_]+", word) if token not in STOP_WORDS]
        if tokens:
            terms.append((word, tokens))
    return terms


def matching(stories, words: list[str]):
    """`stories` containing every one of `words`, with a `search_rank` alias (higher is better).

    The order of `stories` is kept; order by the alias to put the best first.
    """
    terms = search_terms(words)
    if not terms:
        return stories.none()
    if connections[stories.db].vendor == "postgresql":
        return _matching_postgres(stories, [word for word, _ in terms])
    return _matching_sqlite(stories, [tokens for _, tokens in terms])


def _matching_postgres(stories, words):
    *leading, last = words
    query = SearchQuery(_prefix_tsquery(last), search_type="raw", config=POSTGRES_CONFIG)
    for word in reversed(leading):
        query = SearchQuery(word, search_type="phrase", config=POSTGRES_CONFIG) & query
    return (
        stories.alias(search_document=SearchDocument())
        .filter(search_document=query)
        .alias(search_rank=SearchRank(F("search_document"), query))
    )


def _prefix_tsquery(word: str) -> str:
    """`word` as one quoted tsquery term matching words it begins.

    Inside quotes a tsquery term takes any character but the quote, doubled to
    escape it, and the backslash, which `search_words` never lets through.
    """
    return "'{}':*".format(word.replace("'", "''"))


class SearchDocument(Expression):
    """The story's `search_document` column (PostgreSQL), which is not a model field."""

    output_field = SearchVectorField()

    def resolve_expression(self, query=None, *args, **kwargs):
        return Col(query.get_initial_alias(), _document_column(query.model), self.output_field)


@functools.cache
def _document_column(model):
    """A stand-in field for the column, so Django can name it like any other."""
    column = SearchVectorField()
    column.set_attributes_from_name(POSTGRES_COLUMN)
    column.model = model
    return column


def _matching_sqlite(stories, terms):
    fts_query = fts5_query(terms)
    matches = RawSQL(
        f"SELECT rowid FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s", (fts_query,)
    )
    return stories.filter(pk__in=matches).alias(search_rank=Bm25Score(fts_query))


def fts5_query(terms: list[list[str]]) -> str:
    """An FTS5 query requiring every term (a word's tokens), the last one as a prefix.

    Each term is one double-quoted string of its tokens, so it matches them
    side by side ("covid-19" finds "COVID-19") and FTS5 reads nothing the
    reader typed as an operator.
    """
    phrases = ['"{}"'.format(" ".join(tokens)) for tokens in terms]
    return " ".join(phrases) + "*"


class Bm25Score(Expression):
    """How well the story matches an FTS5 query: bm25 with the field weights, negated.

    bm25 is lower for better matches; negated, higher is better as with
    PostgreSQL's ts_rank. The matches are scored once into a table of their
    own (LIMIT -1 keeps SQLite from folding it into the outer query), which
    SQLite indexes by story on the fly: asking FTS5 for one story's score at a
    time would run the whole text query again for each story.
    """

    output_field = FloatField()

    def __init__(self, fts_query, story=None):
        super().__init__()
        self.fts_query = fts_query
        self.story = story if story is not None else F("pk")

    def get_source_expressions(self):
        return [self.story]

    def set_source_expressions(self, expressions):
        (self.story,) = expressions

    def as_sql(self, compiler, connection):
        story_sql, story_params = compiler.compile(self.story)
        weights = ", ".join(str(weight) for weight in SQLITE_WEIGHTS)
        scores = (
            f"SELECT rowid AS story, -bm25({SQLITE_TABLE}, {weights}) AS score "
            f"FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s LIMIT -1"
        )
        sql = f"(SELECT scores.score FROM ({scores}) AS scores WHERE scores.story = {story_sql})"
        return sql, (self.fts_query, *story_params)
