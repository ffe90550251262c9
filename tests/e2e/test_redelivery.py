"""A message or card action runs once: again when its turn failed, never again once it completed."""
from __future__ import annotations

import socket
from datetime import timedelta

from tests.e2e.teams import KARI, OLA, card_of, execute, install_in_team, message, sent_card, texts_in


def _replies_to(bot, activity: dict) -> list[dict]:
    return [r.body for r in bot.connector.requests
            if r.kind == "reply" and r.activity_id == activity["id"] and 200 <= r.status < 300]


async def test_a_message_whose_turn_raised_is_answered_when_redelivered(bot):
    handler = bot.container.handler
    real_help = handler._commands["hjelp"]
    failures = []

    async def fails_once(turn, actor):
        if not failures:
            failures.append(1)
            raise RuntimeError("the database went away mid-turn")
        await real_help(turn, actor)

    handler._commands["hjelp"] = fails_once
    activity = message(bot.service_url, OLA, "hjelp")
    assert (await bot.post(activity))[0] == 201
    [apology] = _replies_to(bot, activity)
    assert "Noe gikk galt" in apology["text"]

    assert (await bot.post(activity))[0] == 201
    apology, answer = _replies_to(bot, activity)
    assert sent_card(answer)["type"] == "AdaptiveCard"


async def test_a_message_redelivered_after_its_turn_completed_is_not_answered_again(bot):
    activity = message(bot.service_url, OLA, "hjelp")
    assert (await bot.post(activity))[0] == 201
    assert (await bot.post(activity))[0] == 201
    assert len(_replies_to(bot, activity)) == 1


async def test_a_redelivered_card_action_gets_the_first_answer_and_changes_nothing_twice(bot):
    await bot.post(install_in_team(bot.service_url))
    action = execute(bot.service_url, KARI, "meeting.add", {
        "date": "2027-03-10", "start": "09:00", "end": "11:00", "place": "Tønsberg"})
    first = await bot.post(action)
    again = await bot.post(action)
    assert first == again and first[0] == 200
    meetings = [m for m in await bot.container.meetings.upcoming() if m.place == "Tønsberg"]
    assert len(meetings) == 1, "the redelivery added the meeting a second time"


async def test_a_card_action_whose_turn_failed_runs_when_redelivered(bot):
    handler = bot.container.handler
    real = handler.actions.get("help.show")
    failures = []

    async def fails_once(ctx):
        if not failures:
            failures.append(1)
            raise RuntimeError("bug")
        return await real(ctx)

    handler.actions._handlers["help.show"] = fails_once
    action = execute(bot.service_url, OLA, "help.show")
    _, body = await bot.post(action)
    assert "Noe gikk galt" in texts_in(card_of(body))
    _, body = await bot.post(action)
    assert "Noe gikk galt" not in texts_in(card_of(body))


async def test_a_turn_claimed_by_a_process_that_is_gone_runs_when_redelivered(bot):
    activity = message(bot.service_url, OLA, "hjelp")
    dead = f"{socket.gethostname()}:{_unused_pid()}:dead00"
    now = bot.clock.now()
    async with bot.container.uow() as uow:
        assert await uow.activities.claim(f"{activity['conversation']['id']}|{activity['id']}", dead, now,
                                          now + timedelta(minutes=10)) is None
        await uow.commit()
    assert (await bot.post(activity))[0] == 201
    assert len(_replies_to(bot, activity)) == 1


async def test_a_turn_another_live_process_is_running_is_not_run_twice(bot):
    activity = message(bot.service_url, OLA, "hjelp")
    elsewhere = "another-host:4242:abcdef"  # another host's process cannot be checked: it counts as alive
    now = bot.clock.now()
    async with bot.container.uow() as uow:
        await uow.activities.claim(f"{activity['conversation']['id']}|{activity['id']}", elsewhere, now,
                                   now + timedelta(minutes=1))
        await uow.commit()
    bot.container.handler._activities._wait = 0.2  # the redelivery waits this long for the other turn
    assert (await bot.post(activity))[0] == 201
    assert _replies_to(bot, activity) == []

    bot.clock.advance(minutes=2)  # its lease ran out: the process is presumed gone
    assert (await bot.post(activity))[0] == 201
    assert len(_replies_to(bot, activity)) == 1


def _unused_pid() -> int:
    """A process id that no process on this host has now."""
    import os

    pid = 4_000_000
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        except PermissionError:
            pass
        pid -= 1
