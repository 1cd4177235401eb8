"""The platform's clock (common.clock): the wall clock, a story's time inside ``travel``, and
``CLOCK_START`` for a whole process; it runs on from the moment set."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from common import clock

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def test_the_wall_clock_by_default():
    assert abs((clock.now() - timezone.now()).total_seconds()) < 1
    assert not clock.is_travelling()


def test_travel_sets_the_story_time_and_runs_on():
    with clock.travel(dt.datetime(2023, 10, 26, 15, 0, tzinfo=SHANGHAI)):
        first = clock.now()
        time.sleep(0.01)
        second = clock.now()
        assert first.date() == dt.date(2023, 10, 26) and second > first
        assert clock.today() == dt.date(2023, 10, 26)
        with clock.travel(dt.date(2023, 11, 24)):  # a date: 09:00 local time
            assert timezone.localtime(clock.now()).hour == 9
            assert clock.today() == dt.date(2023, 11, 24)
        assert clock.today() == dt.date(2023, 10, 26)
    assert clock.today() == timezone.localdate()


def test_today_is_the_local_date():
    # 23:30 UTC on 26 October is 07:30 on 27 October in Shanghai (the 2023 deadline day)
    with clock.travel(dt.datetime(2023, 10, 26, 23, 30, tzinfo=dt.UTC)):
        assert clock.today() == dt.date(2023, 10, 27)


def test_clock_start_moves_the_process(settings):
    settings.CLOCK_START = "2023-11-25T09:00+08:00"
    clock._reset_for_tests()
    try:
        assert clock.today() == dt.date(2023, 11, 25) and clock.is_travelling()
    finally:
        settings.CLOCK_START = ""
        clock._reset_for_tests()
    assert clock.today() == timezone.localdate()


def test_a_malformed_clock_start_names_the_setting(settings):
    settings.CLOCK_START = "next tuesday"
    clock._reset_for_tests()
    try:
        with pytest.raises(ImproperlyConfigured, match="CLOCK_START='next tuesday'"):
            clock.now()
    finally:
        settings.CLOCK_START = ""
        clock._reset_for_tests()


@pytest.mark.django_db
def test_a_pledge_signed_in_the_story_carries_the_story_date(institution_user):
    from inspections.models import SelfInspectionCampaign
    from inspections.services.campaigns import pledge_sign

    campaign = SelfInspectionCampaign.objects.create(
        title="2023年自查", due=dt.date(2023, 10, 27), focus_items=["一"], pledge_text="承诺")
    with clock.travel(dt.datetime(2023, 10, 26, 16, 0, tzinfo=SHANGHAI)):
        pledge = pledge_sign(campaign=campaign, institution=institution_user.institution,
                             user=institution_user, signatory_name="张三",
                             signatory_title="法定代表人")
    assert timezone.localtime(pledge.signed_at).date() == dt.date(2023, 10, 26)
