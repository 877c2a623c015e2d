"""Changes schedule one refresh per debounce window, after commit; the refresh replaces the rows in one go."""

from unittest import mock

import pytest
from django.core.cache import cache

from cases.models import StatFact, StatRefresh
from cases.statistics import tasks
from cases.statistics.refresh import statistics_refresh


@pytest.fixture
def debounced(settings):
    settings.STATISTICS_REFRESH_WHEN_EAGER = True
    settings.STATISTICS_REFRESH_DEBOUNCE_SECONDS = 30
    cache.delete(tasks.SCHEDULED_MARKER)
    with mock.patch.object(tasks.refresh_statistics, "apply_async") as apply_async:
        yield apply_async
    cache.delete(tasks.SCHEDULED_MARKER)


def test_many_changes_schedule_one_refresh_after_commit(make_case, debounced, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        make_case()
        make_case()
    assert debounced.call_count == 0  # nothing before commit
    for callback in callbacks:
        callback()
    debounced.assert_called_once_with(countdown=30)


def test_a_refresh_clears_the_marker_so_the_next_change_schedules_again(debounced, db):
    assert tasks.schedule_refresh() is True
    assert tasks.schedule_refresh() is False
    tasks.refresh_statistics()
    assert tasks.schedule_refresh() is True
    assert debounced.call_count == 2


def test_with_eager_celery_changes_schedule_nothing_by_default(settings, db):
    settings.STATISTICS_REFRESH_WHEN_EAGER = False
    cache.delete(tasks.SCHEDULED_MARKER)
    with mock.patch.object(tasks.refresh_statistics, "apply_async") as apply_async:
        assert tasks.schedule_refresh() is False
    apply_async.assert_not_called()


def test_a_second_refresh_replaces_the_rows(dataset):
    statistics_refresh()
    first = StatFact.objects.count()
    refresh = statistics_refresh()
    assert StatFact.objects.count() == first > 0
    assert StatRefresh.objects.get().refreshed_at == refresh.refreshed_at
