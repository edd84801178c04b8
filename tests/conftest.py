"""Shared fixtures for the test suite."""

import pytest
from django.core.management import call_command


@pytest.fixture
def seed_stories(db):
    """The three seed stories, loaded the way `make run` loads them."""
    call_command("loaddata", "stories", verbosity=0)


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Every test starts with no page in the page cache, as its database starts with no story."""
    from newsroom.cache import reset_for_empty_database

    reset_for_empty_database()
