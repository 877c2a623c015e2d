"""The private feed address: made or renewed by a POST, shown in full once, then only by its first characters."""

import re

from django.urls import reverse

from paralegals.models import CalendarFeed

MONTH = reverse("calendar_month")
RENEW = reverse("calendar_feed_renew")
FEED_URL = re.compile(r'value="(http://testserver/calendar/feed/([A-Za-z0-9_-]{43})\.ics)"')


def _create(client) -> tuple[str, str]:
    response = client.post(RENEW)
    assert response.status_code == 302
    assert response["Location"] == f"{MONTH}#subscribe"
    page = client.get(MONTH).content.decode()
    url, key = FEED_URL.search(page).groups()
    return url, key


def test_without_a_feed_the_page_offers_to_create_one(client, paralegal_a, case_a):
    client.force_login(paralegal_a)

    content = client.get(MONTH).content.decode()

    assert "Subscribe in your calendar app" in content
    assert "Create my private address" in content
    assert "Renew the address" not in content


def test_the_full_address_is_shown_once_right_after_it_is_made(client, paralegal_a, case_a):
    client.force_login(paralegal_a)

    url, key = _create(client)
    later = client.get(MONTH).content.decode()

    feed = CalendarFeed.objects.get(user=paralegal_a)
    assert CalendarFeed.for_key(key) == feed
    assert key not in feed.key_digest
    assert key not in later
    assert f"http://testserver/calendar/feed/{key[:6]}…" in later
    assert "Renew the address (the old one stops working)" in later
    assert client.get(url).status_code == 200


def test_renewing_needs_a_confirmation_and_saves_nothing_without_it(client, paralegal_a, case_a):
    client.force_login(paralegal_a)
    url, _key = _create(client)
    digest = CalendarFeed.objects.get(user=paralegal_a).key_digest

    response = client.post(RENEW)

    assert response.status_code == 400
    assert "Tick the box to confirm: the old address stops working." in response.content.decode()
    assert CalendarFeed.objects.get(user=paralegal_a).key_digest == digest
    assert client.get(url).status_code == 200


def test_renewing_revokes_the_old_address(client, paralegal_a, case_a):
    client.force_login(paralegal_a)
    old_url, old_key = _create(client)

    response = client.post(RENEW, {"confirm": "on"})
    new_url, new_key = FEED_URL.search(client.get(response["Location"]).content.decode()).groups()

    assert new_key != old_key
    assert CalendarFeed.objects.filter(user=paralegal_a).count() == 1
    assert client.get(old_url).status_code == 404
    assert client.get(new_url).status_code == 200


def test_each_person_has_their_own_address(client, paralegal_a, paralegal_b, case_a):
    client.force_login(paralegal_a)
    _url, key_a = _create(client)
    client.force_login(paralegal_b)

    content = client.get(MONTH).content.decode()

    assert "Create my private address" in content
    assert key_a[:6] not in content


def test_making_an_address_needs_a_sign_in_and_a_post(client, paralegal_a):
    assert client.post(RENEW).status_code == 302
    assert not CalendarFeed.objects.exists()
    client.force_login(paralegal_a)
    assert client.get(RENEW).status_code == 405
