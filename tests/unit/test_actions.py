"""The card-action toolkit: one handler per verb, typed payloads at both ends, one error policy."""
from __future__ import annotations

from datetime import date, time

import pytest
from botbuilder.core import ConversationState, MemoryStorage

import cards.actions as verbs
from bot.actions import ActionContext, ActionRegistry, rerender
from bot.benefits import ImplementationFeature
from bot.cases import CasesFeature
from bot.handler import RaadsbotHandler
from bot.hearings import HearingsFeature
from bot.inputs import flag, id_input, optional_date, required_date, time_or
from bot.meetings import MeetingsFeature
from bot.records import RecordsFeature
from bot.reminders import RemindersFeature
from bot.themes import ThemesFeature
from bot.undelivered import UndeliveredFeature
from bot.votes import VotesFeature
from cards.actions import PAYLOADS, HearingSave, ItemMove, MaybeMeeting, NoData, ThemeSummary, VoteCast, VoteRef
from council.errors import Conflict, InvalidInput, NotAllowed
from council.members import Member

DEFINED = {value for name, value in vars(verbs).items() if name.isupper() and isinstance(value, str)
           and "." in value and not value.startswith("http")}


def _handler() -> RaadsbotHandler:
    """The real registrations; the services are never called here."""
    return RaadsbotHandler(
        members=None, conversations=None, activities=None, conversation_state=ConversationState(MemoryStorage()),
        cases=CasesFeature(None, None, (), 0, None), meetings=MeetingsFeature(None, None, None, None, None, None),
        hearings=HearingsFeature(None, None, None, ImplementationFeature(None)),
        records=RecordsFeature(None, None, None),
        votes=VotesFeature(None, None, None, None, None), themes=ThemesFeature(None),
        reminders=RemindersFeature(None, UndeliveredFeature(None, None)))


def test_every_verb_has_exactly_one_handler_and_every_handler_a_verb():
    registered = _handler().actions.verbs()

    assert set(PAYLOADS) == DEFINED
    assert registered == set(PAYLOADS)


def test_a_verb_registered_twice_or_never_defined_is_refused():
    registry = ActionRegistry()
    registry.register(verbs.VOTE_CAST, _nothing)

    with pytest.raises(ValueError, match="twice"):
        registry.register(verbs.VOTE_CAST, _nothing)
    with pytest.raises(ValueError, match="not defined"):
        registry.register("vote.invented", _nothing)


async def _nothing(ctx: ActionContext) -> dict:
    return {"payload": ctx.payload}


@pytest.mark.parametrize("payload", [VoteCast(7, "enig"), VoteRef(3), MaybeMeeting(), MaybeMeeting(12),
                                     HearingSave(4, 2, pii_confirmed=True), ItemMove(9, "-1"),
                                     ThemeSummary(5, send=True), NoData()])
def test_a_payload_survives_the_round_trip_through_a_card(payload):
    packed = payload.pack()

    assert all(isinstance(value, str) for value in packed.values())
    assert type(payload).parse({**packed, "comment_7": "an input beside it"}) == payload


@pytest.mark.parametrize("data", [{}, {"vote_id": "abc"}, {"vote_id": "-1"}, {"vote_id": "1; drop"}])
def test_a_stale_or_forged_payload_is_invalid_input(data):
    with pytest.raises(InvalidInput):
        VoteRef.parse(data)


async def test_dispatch_parses_the_payload_before_the_handler_runs():
    registry = ActionRegistry()
    registry.register(verbs.VOTE_CLOSE, _nothing)
    ctx = ActionContext(None, Member("a", "A"), {"vote_id": "42"}, None)

    assert (await registry.dispatch(verbs.VOTE_CLOSE, ctx)) == {"payload": VoteRef(42)}
    assert await registry.dispatch("vote.unknown", ctx) is None
    with pytest.raises(InvalidInput):
        await registry.dispatch(verbs.VOTE_CLOSE, ActionContext(None, Member("a", "A"), {"vote_id": "x"}, None))


def test_input_parsers_read_dates_times_ids_and_flags():
    assert optional_date(" 2026-12-15 ") == date(2026, 12, 15) and optional_date("") is None
    assert required_date("2026-12-15T00:00") == date(2026, 12, 15)
    assert time_or("09:30:00", time(8, 0)) == time(9, 30) and time_or("", time(8, 0)) == time(8, 0)
    assert id_input({"meeting_3": "17"}, "meeting_3") == 17
    assert flag("true") and flag("1") and not flag("false") and not flag(None)
    for parse in (lambda: required_date(""), lambda: optional_date("15.12.2026"), lambda: time_or("9.30", time())):
        with pytest.raises(InvalidInput):
            parse()


async def _show(outcome, **extra) -> dict:
    return {"outcome": outcome, **extra}


async def test_rerender_shows_the_done_message_after_a_change():
    ctx = ActionContext(None, Member("a", "A"), {}, "nb-NO")

    async def change():
        return "saved"
    shown = await rerender(ctx, change, _show, "agenda.saved")
    assert shown == {"outcome": "saved", "message": "Sakslisten er oppdatert."}


async def test_rerender_shows_a_broken_rule_on_the_same_card_and_lets_a_refusal_through():
    ctx = ActionContext(None, Member("a", "A"), {}, "nb-NO")

    async def conflict():
        raise Conflict()

    async def refused():
        raise NotAllowed("error.leader_only")
    shown = await rerender(ctx, conflict, _show, "agenda.saved")
    assert shown["outcome"] is None and "error" in shown and "message" not in shown
    with pytest.raises(NotAllowed):
        await rerender(ctx, refused, _show, "agenda.saved")
