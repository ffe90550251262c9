"""Which tenant an activity comes from: Teams names it in channelData.tenant.id and conversation.tenantId."""
from __future__ import annotations

import pytest
from botbuilder.schema import Activity

from bot.identity import tenant_of


def _activity(conversation: dict | None = None, channel_data: object = None) -> Activity:
    body = {"type": "message", "conversation": {"id": "c-1", **(conversation or {})}}
    if channel_data is not None:
        body["channelData"] = channel_data
    return Activity().deserialize(body)


def test_the_tenant_comes_from_conversation_tenant_id_as_teams_spells_it():
    assert tenant_of(_activity({"tenantId": "t-1"})) == "t-1"


def test_the_tenant_comes_from_channel_data():
    assert tenant_of(_activity(channel_data={"tenant": {"id": "t-1"}})) == "t-1"


def test_the_tenant_comes_from_botbuilders_spelling_too():
    assert tenant_of(_activity({"tenantID": "t-1"})) == "t-1"


def test_the_same_tenant_in_both_places_is_that_tenant():
    assert tenant_of(_activity({"tenantId": "t-1"}, {"tenant": {"id": "t-1"}})) == "t-1"


def test_two_different_tenants_mean_no_tenant():
    """Neither can be trusted over the other, so an allow-list refuses the activity."""
    assert tenant_of(_activity({"tenantId": "t-1"}, {"tenant": {"id": "t-2"}})) is None


@pytest.mark.parametrize("conversation, channel_data", [
    ({}, None),
    ({"tenantId": ""}, {"tenant": {"id": ""}}),
    ({"tenantId": 17}, {"tenant": {"id": ["t-1"]}}),
    ({}, {"tenant": "t-1"}),
    ({}, ["tenant"]),
])
def test_a_missing_or_malformed_tenant_is_none(conversation, channel_data):
    assert tenant_of(_activity(conversation, channel_data)) is None


def test_both_spellings_on_the_conversation_must_agree():
    assert tenant_of(_activity({"tenantId": "t-1", "tenantID": "t-2"})) is None
