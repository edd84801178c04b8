"""Shared fixtures for the test suite."""

import pytest
from django.core.management import call_command


@pytest.fixture
def seed_stories(db):
    """The three seed stories, loaded the way `make run` loads them."""
    call_command("loaddata", "stories", verbosity=0)
