"""A backup restored into an empty database gives back the same newsroom, page for page."""

import importlib
import io
import json
import tarfile
from pathlib import Path

import pytest
import reversion
from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse
from PIL import Image as PillowImage
from reversion.models import Version

from articles.management.commands.backup_newsroom import media_files
from articles.models import Article, Image
from articles.sitemaps import SITEMAPS
from newsroom.cache import reset_for_empty_database
from tests.browser.site_pages import PAGE_TYPES, page_addresses
from tests.factories import make_article, make_author, make_category, make_official

PASSWORD = "a long editor passphrase"


@pytest.fixture(autouse=True)
def media_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def png(colour) -> bytes:
    buffer = io.BytesIO()
    PillowImage.new("RGB", (120, 80), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def create_roles():
    """The Reporter and Editor groups, as `manage.py migrate` creates them."""
    roles = importlib.import_module("articles.migrations.0003_newsroom_roles")
    # With the models as migrations know them, as in `migrate`: the migration
    # briefly changes the app registry it is given.
    roles.create_roles(MigrationLoader(connection).project_state().apps, None)


def make_newsroom():
    """The seed stories, and a story of our own with an uploaded picture and a revision."""
    # The roles come from a migration; a test that committed and emptied the
    # database before this one took them away.
    create_roles()
    call_command("loaddata", "stories", verbosity=0)
    image = Image(alt_text="The harbour bridge", cutline="Reopened on Monday.", credit="Staff")
    image.picture.save("bridge.png", ContentFile(png((20, 90, 160))), save=False)
    image.save()
    editor = User.objects.create_user("editor", password=PASSWORD, is_staff=True)
    editor.groups.set(Group.objects.filter(name="Editor"))
    story = make_article(
        "Harbour bridge reopens",
        authors=[make_author("Ana Reyes", user=editor)],
        category=make_category("Transport"),
        featured_image=image,
        tags=["bridges", "transport"],
        quotes=[("It is open.", [make_official("Sam Lee", title="Harbour master")])],
        excerpt="Traffic is back.",
    )
    with reversion.create_revision():
        reversion.set_user(editor)
        reversion.set_comment("Published the bridge story")
        story.save()
    return story


def public_addresses() -> list[str]:
    """Every public page, feed and sitemap of the newsroom in the database."""
    addresses = [address for kind in PAGE_TYPES for address in page_addresses(kind)]
    addresses += ["/corrections/", "/feed/", "/feed/atom/", "/robots.txt", "/sitemap.xml"]
    addresses += [reverse("sitemap-section", kwargs={"section": name}) for name in SITEMAPS]
    for story in Article.objects.published():
        if story.category:
            addresses.append(reverse("articles:category_feed", args=[story.category.slug]))
        for tag in story.tags.all():
            addresses.append(reverse("articles:tag_feed_atom", args=[tag.slug]))
        for author in story.authors.all():
            addresses.append(reverse("people:author_feed", args=[author.slug]))
    return list(dict.fromkeys(addresses))


def read_pages(client, addresses) -> dict[str, tuple[int, bytes]]:
    reset_for_empty_database()  # rendered afresh from the database, not from the page cache
    return {
        address: (response.status_code, response.content)
        for address, response in ((address, client.get(address)) for address in addresses)
    }


def read_media(media_folder) -> dict[str, bytes]:
    return {name: (Path(media_folder) / name).read_bytes() for name in media_files()}


def empty_the_newsroom(media_folder):
    """What a new server has after `manage.py migrate`: no content, the roles, no media."""
    call_command("flush", interactive=False, verbosity=0)
    create_roles()
    for name in media_files():
        (Path(media_folder) / name).unlink()
    assert not Article.objects.exists() and media_files() is not None


def back_up(folder) -> Path:
    call_command("backup_newsroom", output_dir=folder, verbosity=0)
    (archive,) = folder.glob("newsroom-*.tar.gz")
    return archive


@pytest.mark.django_db(transaction=True)
def test_a_restored_backup_serves_the_same_pages_and_media(client, media_folder, tmp_path):
    story = make_newsroom()
    addresses = public_addresses()
    assert story.get_absolute_url() in addresses
    pages_before, media_before = read_pages(client, addresses), read_media(media_folder)
    versions_before = Version.objects.get_for_object(story).count()
    assert len(media_before) == 1 and versions_before == 1

    archive = back_up(tmp_path / "backups")
    empty_the_newsroom(media_folder)
    assert read_media(media_folder) == {}
    call_command("restore_newsroom", archive, verbosity=0)

    pages_after = read_pages(client, addresses)
    for address in addresses:
        assert pages_after[address] == pages_before[address], f"{address} differs after restore"
    assert read_media(media_folder) == media_before
    restored = Article.objects.get(slug=story.slug)
    assert restored.featured_image.picture.name == story.featured_image.picture.name
    assert (restored.featured_image.width, restored.featured_image.height) == (120, 80)
    history = Version.objects.get_for_object(restored)
    assert history.count() == versions_before
    assert history.get().revision.comment == "Published the bridge story"
    assert history.get().revision.user.username == "editor"
    editor = User.objects.get(username="editor")
    assert editor.check_password(PASSWORD)
    assert list(editor.groups.values_list("name", flat=True)) == ["Editor"]
    assert Group.objects.get(name="Editor").permissions.filter(codename="publish_article").exists()


@pytest.mark.django_db
def test_the_archive_is_dated_private_and_complete(media_folder, tmp_path):
    make_newsroom()

    archive = back_up(tmp_path / "backups")

    assert archive.stat().st_mode & 0o777 == 0o600
    with tarfile.open(archive) as backup:
        names = backup.getnames()
        manifest = json.loads(backup.extractfile("manifest.json").read())
        data = json.loads(backup.extractfile("data.json").read())
    assert names[:2] == ["manifest.json", "data.json"]
    assert [name for name in names if name.startswith("media/images/")] == [
        f"media/{name}" for name in media_files()
    ]
    assert manifest["rows"]["articles.Article"] == 4
    assert manifest["media_files"] == 1
    assert "0003_newsroom_roles" in manifest["migrations"]["articles"]
    models = {row["model"] for row in data}
    assert {"articles.article", "articles.byline", "articles.quote", "people.official"} <= models
    assert {"taggit.tag", "articles.taggedarticle", "reversion.version", "auth.user"} <= models
    assert not models & {"contenttypes.contenttype", "auth.permission", "sessions.session"}
    # Content types are named, not numbered: ids differ from one database to the next.
    version = next(row for row in data if row["model"] == "reversion.version")
    assert version["fields"]["content_type"] == ["articles", "article"]


@pytest.mark.django_db
def test_a_database_with_content_is_refused(media_folder, tmp_path):
    make_newsroom()
    archive = back_up(tmp_path / "backups")
    stories = Article.objects.count()

    with pytest.raises(CommandError, match="This database is not empty .* stories"):
        call_command("restore_newsroom", archive, verbosity=0)

    assert Article.objects.count() == stories


@pytest.mark.django_db
def test_a_backup_from_a_newer_schema_is_refused(tmp_path):
    archive = tmp_path / "future.tar.gz"
    manifest = {
        "format": 1,
        "created_at": "2030-01-01T00:00:00+00:00",
        "migrations": {"articles": ["0001_initial", "0099_from_the_future"]},
        "rows": {},
    }
    write_archive(archive, {"manifest.json": json.dumps(manifest), "data.json": "[]"})

    with pytest.raises(CommandError, match="articles.0099_from_the_future.*manage.py migrate"):
        call_command("restore_newsroom", archive, verbosity=0)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["../../evil.py", "/etc/cron.d/evil", "media/../../settings.py", "notes.txt"]
)
def test_an_archive_with_files_a_backup_never_holds_is_refused(tmp_path, media_folder, name):
    archive = tmp_path / "crafted.tar.gz"
    manifest = {"format": 1, "created_at": "", "migrations": {}, "rows": {}}
    write_archive(archive, {"manifest.json": json.dumps(manifest), "data.json": "[]", name: "x"})

    with pytest.raises(CommandError, match="which no backup holds"):
        call_command("restore_newsroom", archive, verbosity=0)

    assert not Path(media_folder).exists() or read_media(media_folder) == {}


@pytest.mark.django_db
def test_a_file_that_is_not_a_backup_is_refused(tmp_path):
    not_a_backup = tmp_path / "photo.tar.gz"
    not_a_backup.write_bytes(png((0, 0, 0)))

    with pytest.raises(CommandError, match="is not a backup archive"):
        call_command("restore_newsroom", not_a_backup, verbosity=0)
    with pytest.raises(CommandError, match="no such file"):
        call_command("restore_newsroom", tmp_path / "missing.tar.gz", verbosity=0)


def write_archive(path: Path, files: dict[str, str]):
    with tarfile.open(path, "w:gz") as archive:
        for name, text in files.items():
            content = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
