"""An outlet's track record is the same figure in the API as on its page: the claims it
spread (an origin or repeat report), not the ones it only mentioned while reporting a denial."""

import re

import pytest
from django.urls import reverse

from tests.factories import create_denied_chain


def page_record(client, outlet) -> dict:
    body = client.get(reverse("claims:outlet_detail", args=[outlet.slug])).content.decode()
    return {
        name: int(re.search(rf'<dd id="record-{name}">(\d+)</dd>', body)[1])
        for name in ("claims", "denied")
    }


@pytest.mark.parametrize(("outlet", "spread"), [("origin_outlet", 1), ("agency", 0)])
def test_the_api_counts_what_the_outlets_page_counts(client, outlet, spread):
    # Clash Report spread the Umerov claim; Interfax only reported the office's denial of it.
    outlet = create_denied_chain()[outlet]
    record = client.get(f"/api/v1/outlets/{outlet.pk}").json()["track_record"]
    assert record == {"claims": spread, "denied": spread, "false_or_misleading": 0}
    assert page_record(client, outlet) == {"claims": spread, "denied": spread}
