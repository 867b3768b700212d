"""The content version moves once per committed change, and never for a rolled-back one."""

from unittest import mock

import pytest
from django.db import transaction

from clinic.content_version import current_version
from tests.factories import ArticleFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bumps(django_capture_on_commit_callbacks):
    """Run a block as a committed transaction; how many times the version was bumped."""

    def run(block) -> int:
        with (
            mock.patch("clinic.signals.bump_version") as bump,
            django_capture_on_commit_callbacks(execute=True),
            transaction.atomic(),
        ):
            block()
        return bump.call_count

    return run


def test_many_changes_in_one_transaction_bump_once(bumps):
    def block():
        for n in range(5):
            with transaction.atomic():  # a savepoint per change, as the PO import does
                ArticleFactory(title_en=f"Article {n}")

    assert bumps(block) == 1


def _rolled_back_change() -> None:
    try:
        with transaction.atomic():
            ArticleFactory(title_en="Rolled back")
            raise RuntimeError
    except RuntimeError:
        pass


def test_a_change_kept_after_a_rolled_back_savepoint_bumps(bumps):
    def block():
        _rolled_back_change()
        TopicFactory(name_en="Kept")

    assert bumps(block) == 1


def test_a_change_before_a_rolled_back_savepoint_still_bumps(bumps):
    def block():
        TopicFactory(name_en="Kept")
        _rolled_back_change()

    assert bumps(block) == 1


def test_a_transaction_whose_changes_all_roll_back_does_not_bump(bumps):
    assert bumps(_rolled_back_change) == 0


def test_a_committed_change_gives_a_new_version(django_capture_on_commit_callbacks):
    before = current_version().token
    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory()
    assert current_version().token != before
