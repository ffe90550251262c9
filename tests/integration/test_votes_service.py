"""Hearings and votes through the real services on SQLite and PostgreSQL: opening, casting, changing, closing
at the deadline, results, secret mode, redelivery, concurrency across two engines, reminders."""
from __future__ import annotations

import asyncio
import inspect
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, func, select, update

from council.conversations import ConversationKind, ConversationRef
from council.errors import Conflict, InvalidInput, NotAllowed
from council.forms import PiiWarning
from council.hearings import HearingForm, HearingStatus
from council.meetings import Meeting
from council.members import Member, Role
from council.minutes import Attendance
from council.outbox import Operation
from council.services.hearings import HearingService
from council.services.votes import VoteRequest, VoteService
from council.votes import Choice, DeadlinePassed, Majority, Outcome, VoteStatus
from storage.db import make_engine, migrate
from storage.tables import (
    audit_log,
    conversations,
    metadata,
    outbox,
    vote_ballot_history,
    vote_secret_ballots,
    vote_voters,
    votes,
)
from storage.uow import unit_of_work_factory
from storage.votes import SqlVotes
from tests.databases import POSTGRES_URL, require_postgres, reset_postgres
from tests.fakes.clock import ManualClock
from tests.unit.test_pii import make_id

OSLO = ZoneInfo("Europe/Oslo")
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # Monday 2 March 2026, 09:00 in Oslo
KEY = b"test-ballot-key"
LEADER = Member("leader", "Lene Leder", roles=frozenset({Role.LEADER}))
SECRETARY = Member("secretary", "Siri Sekretær", roles=frozenset({Role.SECRETARY}))
CHANNEL = ConversationRef("19:general@thread.tacv2", ConversationKind.CHANNEL, "http://127.0.0.1:9/", "tenant",
                          "bot", team_id="19:general@thread.tacv2", channel_id="19:general@thread.tacv2")
E, M, U, A = Choice.AGREE, Choice.AGREE_WITH_REMARKS, Choice.DISAGREE, Choice.ABSTAIN


class FakeVoteMessages:
    """Renders just enough to check what each queued activity says."""

    def vote_card(self, vote, tally, names, refresh_ids=()):
        return {"kind": "card", "vote": vote.id, "status": vote.status.value, "voted": tally.voted,
                "hidden": tally.hidden, "counts": {c.value: n for c, n in tally.counts.items()},
                "names": None if names is None else [[n.aad_object_id, n.voted, n.choice.value if n.choice else None]
                                                     for n in names]}

    def result_post(self, vote, tally, outcome, names):
        return {**self.vote_card(vote, tally, names), "kind": "result", "outcome": outcome.value}

    def reminder(self, vote, locale):
        return {"kind": "reminder", "vote": vote.id, "locale": locale}

    def extended(self, vote, locale):
        return {"kind": "extended", "vote": vote.id, "deadline": vote.deadline.isoformat(), "locale": locale}


def voter(n: int) -> Member:
    return Member(f"m{n:02d}", f"Medlem {n:02d}", roles=frozenset({Role.MEMBER}), locale="nb-NO")


@pytest.fixture
def clock():
    return ManualClock(T0)


@pytest.fixture
def votes_service(uow, clock):
    return VoteService(uow, clock, FakeVoteMessages(), KEY, OSLO)


@pytest.fixture
def hearings_service(uow, clock):
    return HearingService(uow, clock, OSLO)


async def seed(uow, members: int = 5, *extra: Member) -> list[Member]:
    people = [voter(n) for n in range(members)]
    async with uow() as u:
        for person in (LEADER, SECRETARY, *people, *extra):
            await u.members.save(person)
        await u.conversations.save(CHANNEL, T0)
        await u.commit()
    return people


async def rows(uow, table, *where, order=None):
    async with uow() as u:
        query = select(table).where(*where)
        if order is not None:
            query = query.order_by(order)
        return list(await u.session.execute(query))


async def sweep(uow, service: VoteService) -> int:
    """What the outbox sweep does for vote cards: redraw the changed ones (returns how many); the sender then
    takes the updates (marked delivered here: no connector in these tests)."""
    drawn = await service.refresh_cards()
    async with uow() as u:
        await u.session.execute(update(outbox).where(outbox.c.update_of.is_not(None), outbox.c.status == "pending")
                                .values(status="delivered"))
        await u.commit()
    return drawn


async def vote_messages(uow, vote_id: int) -> dict[str, object]:
    return {r.delivery_key: r for r in await rows(uow, outbox, outbox.c.delivery_key.startswith(f"vote:{vote_id}:"),
                                                  order=outbox.c.id)}


def form(**changes) -> HearingForm:
    values = dict(title="Høring: endring i pasientjournalforskriften", sender="Helse- og omsorgsdepartementet",
                  their_reference="25/1234", case_number="2026/00123", received=date(2026, 3, 2),
                  external_deadline=date(2026, 4, 30), links="https://www.regjeringen.no/horing")
    return HearingForm(**{**values, **changes})


def request(**changes) -> VoteRequest:
    values = dict(question="Støtter rådet forslaget?", proposal="Rådet støtter forslaget.",
                  deadline=T0 + timedelta(days=3))
    return VoteRequest(**{**values, **changes})


# --- a named vote on a hearing, from opening to the result --------------------------------------------------------


async def test_a_named_vote_on_a_hearing_runs_from_opening_to_a_recorded_result(
        uow, clock, votes_service, hearings_service):
    people = await seed(uow, 5)
    hearing = await hearings_service.register(LEADER, form(owner="m00"))
    assert hearing.internal_deadline == date(2026, 4, 16) and hearing.owner_name == "Medlem 00"
    hearing = await hearings_service.set_draft(people[0], hearing.id, hearing.version, "Rådet har ingen innvendinger.")
    assert hearing.status is HearingStatus.IN_PROGRESS

    vote = await votes_service.open_vote(LEADER, request(hearing_id=hearing.id, proposal=""))
    assert vote.proposal == "Rådet har ingen innvendinger." and vote.entitled == tuple(p.aad_object_id for p in people)
    assert (await hearings_service.get(LEADER, hearing.id)).hearing.status is HearingStatus.TO_VOTE
    card = (await vote_messages(uow, vote.id))[f"vote:{vote.id}:card"]
    assert card.operation == Operation.SEND.value and card.target == CHANNEL.conversation_id

    for person, choice, comment in [(people[0], E, ""), (people[1], M, "Presiser punkt 2"), (people[2], U, ""),
                                    (people[3], E, "")]:
        mine = await votes_service.cast(person, vote.id, choice, comment)
        assert mine.changed and mine.choice is choice
    clock.advance(hours=1)
    changed = await votes_service.cast(people[2], vote.id, E)  # m02 changes their mind
    assert changed.changed and changed.tally.counts == {"enig": 3, "enig_med_merknader": 1, "uenig": 0, "avstar": 0}

    with pytest.raises(NotAllowed) as outsider:
        await votes_service.cast(SECRETARY, vote.id, U)
    assert outsider.value.key == "votes.not_entitled"

    history = await rows(uow, vote_ballot_history, vote_ballot_history.c.vote_id == vote.id,
                         order=vote_ballot_history.c.id)
    assert [(r.voter, r.choice) for r in history] == [("m00", "enig"), ("m01", "enig_med_merknader"), ("m02", "uenig"),
                                                      ("m03", "enig"), ("m02", "enig")]
    assert await sweep(uow, votes_service) == 1  # five ballots, one redrawing of the shared card
    assert await sweep(uow, votes_service) == 0  # nothing changed since
    messages = await vote_messages(uow, vote.id)
    updates = [m for m in messages.values() if m.operation == Operation.UPDATE.value]
    assert [m.delivery_key for m in updates] == [f"vote:{vote.id}:card:v1"]
    assert updates[0].update_of == f"vote:{vote.id}:card" and updates[0].target == CHANNEL.conversation_id
    assert updates[0].activity["counts"] == {"enig": 3, "enig_med_merknader": 1, "uenig": 0, "avstar": 0}
    assert updates[0].activity["names"] is None  # who voted what shows once the vote is closed

    clock.set(vote.deadline)
    with pytest.raises(DeadlinePassed) as late:
        await votes_service.cast(people[4], vote.id, E)
    assert late.value.key == "votes.deadline_passed"

    clock.advance(hours=5)  # the bot was down at the deadline; on start it closes what is overdue
    assert await votes_service.close_due() == 1
    assert await votes_service.close_due() == 0
    assert await sweep(uow, votes_service) == 1
    view = await votes_service.view(people[4], vote.id)
    assert view.vote.status is VoteStatus.CLOSED and view.vote.outcome is Outcome.PASSED
    assert view.vote.closed_at == vote.deadline and (view.tally.voted, view.tally.entitled) == (4, 5)

    messages = await vote_messages(uow, vote.id)
    posted = messages[f"vote:{vote.id}:result"]
    assert posted.operation == Operation.SEND.value and posted.target == CHANNEL.conversation_id
    assert posted.activity["outcome"] == "passed" and ["m01", True, "enig_med_merknader"] in posted.activity["names"]
    closed_card = messages[f"vote:{vote.id}:card:v2"].activity
    assert closed_card["status"] == "closed" and closed_card["names"][2] == ["m02", True, "enig"]

    line = await hearings_service.get(LEADER, hearing.id)
    assert line.hearing.status is HearingStatus.DECIDED and line.hearing.decision == "Rådet har ingen innvendinger."
    assert (line.hearing.vote_id, line.hearing.vote_outcome) == (vote.id, "passed")

    [minutes] = await votes_service.closed_between(date(2026, 3, 1), date(2026, 3, 31))
    assert minutes.vote.id == vote.id
    assert minutes.names[1].choice is M and minutes.names[1].comment == "Presiser punkt 2"
    assert await votes_service.closed_between(date(2026, 4, 1), date(2026, 4, 30)) == []
    export = await votes_service.export(people[0], vote.id)
    assert [(b.aad_object_id, b.choice) for b in export.ballots] == [
        ("m00", E), ("m01", M), ("m02", E), ("m03", E), ("m04", None)]
    assert len(export.history) == 5 and export.history[2].name == "Medlem 02"

    async with uow() as u:
        audit = await u.audit.for_entity("vote", str(vote.id))
    assert [a.action for a in audit] == ["open", "cast", "cast", "cast", "cast", "cast", "close_due"]
    assert audit[2].after == {"choice": "enig_med_merknader", "comment": True}


async def test_a_vote_that_does_not_pass_sends_the_hearing_back_to_work(uow, clock, votes_service, hearings_service):
    people = await seed(uow, 3)
    hearing = await hearings_service.register(SECRETARY, form(draft_text="Utkast"))
    vote = await votes_service.open_vote(SECRETARY, request(hearing_id=hearing.id, majority=Majority.TWO_THIRDS))
    for person, choice in zip(people, (E, U, A), strict=True):
        await votes_service.cast(person, vote.id, choice)
    closed = await votes_service.close(SECRETARY, vote.id)  # everyone voted: the organiser who opened it may close
    assert closed.outcome is Outcome.NOT_PASSED and closed.closed_by == "secretary"
    line = await hearings_service.get(LEADER, hearing.id)
    assert line.hearing.status is HearingStatus.IN_PROGRESS and line.hearing.vote_outcome == "not_passed"


# --- secret mode --------------------------------------------------------------------------------------------------


async def test_a_secret_vote_never_links_a_person_to_a_choice(uow, clock, votes_service):
    people = await seed(uow, 4)
    vote = await votes_service.open_vote(LEADER, request(secret=True, live_tally=True))
    assert vote.secret and not vote.live_tally and vote.ballot_salt
    mine = await votes_service.cast(people[0], vote.id, E)
    assert mine.choice is E and mine.tally.hidden and mine.tally.counts == {}  # the voter sees their own answer
    await votes_service.cast(people[1], vote.id, U)
    await votes_service.cast(people[1], vote.id, M, "Med forbehold")  # a change replaces the anonymous row
    await votes_service.cast(people[2], vote.id, U)
    await votes_service.cast(people[2], vote.id, U)  # the same again: nothing changes
    assert await sweep(uow, votes_service) == 1

    view = await votes_service.view(LEADER, vote.id)
    assert view.names is None and view.tally.hidden and view.tally.counts == {} and view.tally.voted == 3
    assert (await votes_service.mine(people[1], vote.id)).choice is None
    assert len(await rows(uow, vote_secret_ballots, vote_secret_ballots.c.vote_id == vote.id)) == 3
    assert "voter" not in vote_secret_ballots.c and {c.name for c in vote_secret_ballots.c} == {
        "vote_id", "token", "choice", "comment"}
    assert await rows(uow, vote_ballot_history, vote_ballot_history.c.vote_id == vote.id) == []
    messages = (await vote_messages(uow, vote.id)).values()
    assert [m.operation for m in messages] == [Operation.SEND.value, Operation.UPDATE.value]
    for message in messages:
        assert message.activity["counts"] == {} and message.activity["names"] is None
    async with uow() as u:
        assert sorted(await u.votes.anonymous_counts(vote.id)) == [(E, "", 1), (M, "Med forbehold", 1), (U, "", 1)]
        casts = [a for a in await u.audit.for_entity("vote", str(vote.id)) if a.action == "cast"]
    assert [(a.actor, a.after) for a in casts] == [("m00", {"secret": True}), ("m01", {"secret": True}),
                                                   ("m01", {"secret": True}), ("m02", {"secret": True})]

    clock.set(vote.deadline)
    assert await votes_service.close_due() == 1
    export = await votes_service.export(LEADER, vote.id)
    assert export.ballots == () and export.history == () and export.outcome is Outcome.PASSED
    assert export.tally.counts == {E: 1, M: 1, U: 1, A: 0} and export.tally.comments == ((M, "Med forbehold"),)
    shown = repr((export.tally, export.outcome, export.ballots, export.history, export.vote.final))
    assert not any(p.aad_object_id in shown or p.name in shown for p in people) and export.vote.ballot_salt is None
    posted = (await vote_messages(uow, vote.id))[f"vote:{vote.id}:result"].activity
    assert posted["names"] is None and posted["counts"] == {"enig": 1, "enig_med_merknader": 1, "uenig": 1, "avstar": 0}
    assert await rows(uow, vote_secret_ballots, vote_secret_ballots.c.vote_id == vote.id) == []  # forgotten
    [stored] = await rows(uow, votes, votes.c.id == vote.id)
    assert stored.ballot_salt is None


def test_no_repository_read_takes_or_returns_a_secret_ballot_token():
    methods = {name: inspect.signature(fn) for name, fn in inspect.getmembers(SqlVotes, inspect.isfunction)
               if not name.startswith("_")}
    assert [name for name in methods if "secret" in name or "anonymous" in name] == [
        "anonymous_counts", "forget_secret_ballots", "record_secret"]
    assert not any("token" in sig.parameters or "token" in str(sig.return_annotation) for sig in methods.values())
    assert methods["record_secret"].return_annotation == "list[bool]"  # written tokens come back as yes/no only
    assert methods["anonymous_counts"].return_annotation == "list[tuple[Choice, str, int]]"


# --- redelivery, the deadline, entitlement ---------------------------------------------------------------------------


async def test_a_redelivered_invoke_records_one_ballot(uow, votes_service):
    people = await seed(uow, 3)
    vote = await votes_service.open_vote(LEADER, request())
    first = await votes_service.cast(people[0], vote.id, M, "Enig, men", activity_key="invoke-1")
    again = await votes_service.cast(people[0], vote.id, M, "Enig, men", activity_key="invoke-1")
    assert first.changed and not again.changed and again.choice is M
    assert not (await votes_service.cast(people[0], vote.id, M, "Enig, men")).changed  # the same, without a key
    assert len(await rows(uow, vote_ballot_history, vote_ballot_history.c.vote_id == vote.id)) == 1
    await sweep(uow, votes_service)
    updates = [k for k in await vote_messages(uow, vote.id) if ":card:v" in k]
    assert updates == [f"vote:{vote.id}:card:v1"]
    assert len(await rows(uow, audit_log, audit_log.c.action == "cast")) == 1


async def test_casts_that_arrive_together_are_written_in_one_transaction(uow, votes_service):
    people = await seed(uow, 6)
    vote = await votes_service.open_vote(LEADER, request())
    answers = await asyncio.gather(
        *(votes_service.cast(person, vote.id, E, activity_key=f"invoke-{n}") for n, person in enumerate(people)),
        votes_service.cast(people[0], vote.id, U, activity_key="invoke-later"),  # the same voter again: in order
        votes_service.cast(people[1], vote.id, E, activity_key="invoke-1"),  # a redelivery inside the batch
        votes_service.cast(SECRETARY, vote.id, U),  # not entitled: refused, the others stand
        return_exceptions=True)

    [stored] = await rows(uow, votes, votes.c.id == vote.id)
    assert stored.card_changes == 1  # one lock of the vote for all nine
    assert all(a.changed for a in answers[:7]) and not answers[7].changed
    assert isinstance(answers[8], NotAllowed) and answers[8].key == "votes.not_entitled"
    assert answers[6].tally.counts == {E: 5, M: 0, U: 1, A: 0} and answers[6].tally.voted == 6
    history = await rows(uow, vote_ballot_history, vote_ballot_history.c.vote_id == vote.id,
                         order=vote_ballot_history.c.id)
    assert [(r.voter, r.choice) for r in history if r.voter == "m00"] == [("m00", "enig"), ("m00", "uenig")]
    assert len(await rows(uow, audit_log, audit_log.c.action == "cast")) == 7


async def test_a_card_that_fails_to_draw_does_not_hold_up_the_others(uow, clock, caplog):
    class Failing(FakeVoteMessages):
        def vote_card(self, vote, tally, names, refresh_ids=()):
            if vote.id == 1 and tally.voted:
                raise ValueError("a drawing bug")
            return super().vote_card(vote, tally, names, refresh_ids)

    service = VoteService(uow, clock, Failing(), KEY, OSLO)
    people = await seed(uow, 2)
    first = await service.open_vote(LEADER, request())
    second = await service.open_vote(LEADER, request(question="Neste sak?"))
    for vote in (first, second):
        await service.cast(people[0], vote.id, E)
    assert await sweep(uow, service) == 1
    assert f"the card of vote {first.id} was not redrawn" in caplog.text
    assert [k for k in await vote_messages(uow, second.id) if ":card:v" in k] == [f"vote:{second.id}:card:v1"]
    [stored] = await rows(uow, votes, votes.c.id == first.id)
    assert stored.card_shown < stored.card_changes  # still to be drawn: the next sweep tries again


async def test_a_deputy_votes_for_a_member_who_reported_absence(uow, clock, votes_service):
    deputy = Member("d01", "Vara for 01", roles=frozenset({Role.DEPUTY}), deputy_for="m01")
    people = await seed(uow, 3, deputy)
    async with uow() as u:
        meeting = await u.meetings.add(Meeting(None, date(2026, 3, 4)))
        await u.agenda.set_attendance(meeting.id, "m01", Attendance.ABSENT, T0, "d01")
        await u.commit()
    vote = await votes_service.open_vote(LEADER, request())  # the next meeting falls before the deadline
    assert vote.entitled == ("m00", "d01", "m02")
    with pytest.raises(NotAllowed):
        await votes_service.cast(people[1], vote.id, E)
    assert (await votes_service.cast(deputy, vote.id, E)).changed
    later = await votes_service.open_vote(LEADER, request(question="Neste sak", deadline=T0 + timedelta(hours=12)))
    assert later.entitled == ("m00", "m01", "m02")  # the meeting is after this deadline: nobody is replaced


async def test_only_organisers_open_votes_and_a_vote_needs_the_channel(uow, votes_service):
    people = await seed(uow, 2)
    with pytest.raises(NotAllowed):
        await votes_service.open_vote(people[0], request())
    async with uow() as u:
        await u.session.execute(delete(conversations))
        await u.commit()
    with pytest.raises(InvalidInput) as no_channel:
        await votes_service.open_vote(LEADER, request())
    assert no_channel.value.key == "votes.no_channel"


# --- closing early, extending, cancelling ---------------------------------------------------------------------------


async def test_the_leader_closes_early_only_when_everyone_has_voted(uow, votes_service):
    people = await seed(uow, 3)
    vote = await votes_service.open_vote(SECRETARY, request())
    await votes_service.cast(people[0], vote.id, E)
    with pytest.raises(Conflict) as early:
        await votes_service.close(LEADER, vote.id)
    assert early.value.key == "votes.not_everyone_voted"
    with pytest.raises(NotAllowed):
        await votes_service.close(people[0], vote.id)
    for person in people[1:]:
        await votes_service.cast(person, vote.id, U)
    closed = await votes_service.close(LEADER, vote.id)
    assert closed.outcome is Outcome.NOT_PASSED and closed.closed_by == "leader"
    with pytest.raises(Conflict):
        await votes_service.cast(people[0], vote.id, A)
    assert await votes_service.close_due() == 0


async def test_extending_tells_every_voter_and_cancelling_posts_no_result(uow, clock, votes_service,
                                                                           hearings_service):
    people = await seed(uow, 3)
    hearing = await hearings_service.register(LEADER, form(draft_link="https://p360.siv.no/doc/1"))
    vote = await votes_service.open_vote(LEADER, request(hearing_id=hearing.id))
    with pytest.raises(Conflict) as twice:
        await votes_service.open_vote(LEADER, request(hearing_id=hearing.id))
    assert twice.value.key == "votes.already_open"
    with pytest.raises(Conflict):
        await hearings_service.set_status(LEADER, hearing.id, hearing.version + 1, HearingStatus.NO_COMMENTS)
    extended = await votes_service.extend(LEADER, vote.id, vote.deadline + timedelta(days=2))
    assert extended.extensions == 1
    messages = await vote_messages(uow, vote.id)
    told = sorted(m.target for m in messages.values() if m.operation == Operation.SEND_PERSONAL.value)
    assert told == ["m00", "m01", "m02"]
    assert messages[f"vote:{vote.id}:extended:1:m00"].activity["locale"] == "nb-NO"

    await votes_service.cast(people[0], vote.id, E)
    assert await sweep(uow, votes_service) == 1
    assert (await vote_messages(uow, vote.id))[f"vote:{vote.id}:card:v1"].activity["voted"] == 1
    cancelled = await votes_service.cancel(LEADER, vote.id, "Feil utkast")
    assert cancelled.status is VoteStatus.CANCELLED and cancelled.outcome is None
    assert await sweep(uow, votes_service) == 1
    messages = await vote_messages(uow, vote.id)
    assert f"vote:{vote.id}:result" not in messages
    card = messages[f"vote:{vote.id}:card:v2"].activity
    assert card["status"] == "cancelled" and card["voted"] == 1 and card["names"] is None  # no choice shown
    line = await hearings_service.get(LEADER, hearing.id)
    assert line.hearing.status is HearingStatus.IN_PROGRESS
    again = await votes_service.open_vote(LEADER, request(hearing_id=hearing.id))  # a new vote may be opened
    assert again.proposal == "Rådet støtter forslaget."


# --- reminders ------------------------------------------------------------------------------------------------------


async def test_reminders_go_once_and_only_to_those_who_have_not_voted(uow, clock, votes_service):
    people = await seed(uow, 5)
    vote = await votes_service.open_vote(LEADER, request())
    await votes_service.cast(people[0], vote.id, E)
    await votes_service.cast(people[3], vote.id, A)
    assert await votes_service.remind_due() == 0  # three days left
    clock.set(vote.deadline - timedelta(hours=23))
    assert await votes_service.remind_due() == 3
    assert await votes_service.remind_due() == 0
    await votes_service.cast(people[1], vote.id, U)
    assert await votes_service.remind_due() == 0
    reminders = [m for m in (await vote_messages(uow, vote.id)).values() if m.activity["kind"] == "reminder"]
    assert sorted((m.delivery_key, m.target, m.operation) for m in reminders) == [
        (f"vote:{vote.id}:remind:m0{n}", f"m0{n}", Operation.SEND_PERSONAL.value) for n in (1, 2, 4)]


# --- concurrency --------------------------------------------------------------------------------------------------


@pytest.fixture
async def second_uow(database_url):
    """A second engine on the same database: another app process as far as the database can tell."""
    engine = make_engine(database_url)
    yield unit_of_work_factory(engine)
    await engine.dispose()


@pytest.mark.parametrize("secret", [False, True], ids=["named", "secret"])
async def test_fifty_voters_at_once_across_two_processes_give_an_exact_tally(uow, second_uow, clock, secret):
    people = await seed(uow, 50)
    first = VoteService(uow, clock, FakeVoteMessages(), KEY, OSLO)
    second = VoteService(second_uow, clock, FakeVoteMessages(), KEY, OSLO)
    vote = await first.open_vote(LEADER, request(secret=secret))
    choices = [(E, U, A, M)[n % 4] for n in range(50)]

    await asyncio.gather(*((first if n % 2 else second).cast(person, vote.id, choice, "m" if choice is M else "",
                                                              activity_key=f"invoke-{n}")
                           for n, (person, choice) in enumerate(zip(people, choices, strict=True))))

    view = await first.view(LEADER, vote.id)
    assert view.tally.voted == 50
    [stored] = await rows(uow, votes, votes.c.id == vote.id)
    assert stored.card_changes < 50  # each process wrote its casts in batches, not one transaction per ballot
    assert len(await rows(uow, audit_log, audit_log.c.entity_id == str(vote.id), audit_log.c.action == "cast")) == 50
    # both processes redraw at once: one of them queues the card (compare-and-set on what the card shows)
    assert sum(await asyncio.gather(first.refresh_cards(), second.refresh_cards())) == 1
    [card] = [m for m in (await vote_messages(uow, vote.id)).values() if m.operation == Operation.UPDATE.value]
    assert card.activity["voted"] == 50
    clock.set(vote.deadline)
    assert await second.close_due() == 1
    closed = await first.view(LEADER, vote.id)
    assert closed.tally.counts == {E: 13, U: 13, A: 12, M: 12} and closed.tally.voted == 50
    assert closed.vote.outcome is Outcome.PASSED


async def test_two_processes_closing_the_same_overdue_vote_close_it_once(uow, second_uow, clock, hearings_service):
    people = await seed(uow, 3)
    first = VoteService(uow, clock, FakeVoteMessages(), KEY, OSLO)
    second = VoteService(second_uow, clock, FakeVoteMessages(), KEY, OSLO)
    hearing = await hearings_service.register(LEADER, form(draft_text="Utkast"))
    vote = await first.open_vote(LEADER, request(hearing_id=hearing.id))
    for person in people:
        await second.cast(person, vote.id, E)
    clock.set(vote.deadline + timedelta(minutes=1))

    closed = await asyncio.gather(first.close_due(), second.close_due(), first.close_due(), second.close_due())

    assert sum(closed) == 1
    results = await rows(uow, outbox, outbox.c.delivery_key == f"vote:{vote.id}:result")
    assert len(results) == 1
    async with uow() as u:
        audit = await u.audit.for_entity("vote", str(vote.id))
        hearing_audit = await u.audit.for_entity("hearing", str(hearing.id))
    assert [a.action for a in audit].count("close_due") == 1
    assert [a.action for a in hearing_audit].count("vote_closed") == 1
    assert (await hearings_service.get(LEADER, hearing.id)).hearing.status is HearingStatus.DECIDED


# --- the hearing register -------------------------------------------------------------------------------------------


async def test_the_register_warns_when_the_internal_deadline_is_near_and_nothing_is_drafted(
        uow, clock, hearings_service):
    people = await seed(uow, 1)
    soon = await hearings_service.register(LEADER, form(title="Snart", external_deadline=date(2026, 3, 19)))
    later = await hearings_service.register(LEADER, form(title="Senere", internal_deadline=date(2026, 4, 1)))
    assert soon.internal_deadline == date(2026, 3, 5)  # 10 working days before 19 March; warned from 2 March
    lines = await hearings_service.register_view(people[0])
    assert [(line.hearing.title, line.warnings) for line in lines] == [
        ("Snart", ("hearings.warn.no_draft",)), ("Senere", ())]
    await hearings_service.set_draft(LEADER, soon.id, soon.version, "", "https://p360.siv.no/utkast/7")
    assert [line.warnings for line in await hearings_service.register_view(LEADER)] == [(), ()]
    with pytest.raises(NotAllowed):
        await hearings_service.register_view(Member("guest", "Gjest"))
    with pytest.raises(NotAllowed):
        await hearings_service.register(people[0], form())
    errors = await hearings_service.register(LEADER, form(title="", owner="nobody"))
    assert errors.errors == {"title": "hearings.error.title_required", "owner": "hearings.error.owner_unknown"}
    assert later.status is HearingStatus.RECEIVED
    drafted = (await hearings_service.get(LEADER, soon.id)).hearing
    edited = await hearings_service.update(LEADER, soon.id, drafted.version, form(title="Snart (rettet)",
                                                                                  external_deadline=date(2026, 3, 19)))
    assert edited.title == "Snart (rettet)" and edited.draft_link == "https://p360.siv.no/utkast/7"
    with pytest.raises(Conflict):
        await hearings_service.update(LEADER, soon.id, drafted.version, form())


async def test_patient_ids_get_a_warning_and_a_question_before_anything_is_stored(uow, hearings_service,
                                                                                 votes_service):
    people = await seed(uow, 2)
    warned = await hearings_service.register(LEADER, form(title=f"Klage fra {make_id('010190')}"))
    assert isinstance(warned, PiiWarning) and warned.fields == ["title"]
    assert await hearings_service.register_view(LEADER) == []
    assert (await hearings_service.register(LEADER, form(title=f"Klage {make_id('010190')}"), pii_confirmed=True)).id
    vote = await votes_service.open_vote(LEADER, request())
    comment = f"Gjelder {make_id('020285')}"
    assert isinstance(await votes_service.cast(people[0], vote.id, M, comment), PiiWarning)
    assert not (await votes_service.mine(people[0], vote.id)).voted
    assert (await votes_service.cast(people[0], vote.id, M, comment, pii_confirmed=True)).changed


async def test_a_hearing_goes_on_a_meetings_agenda_and_through_its_statuses(uow, clock, hearings_service):
    await seed(uow, 1)
    async with uow() as u:
        meeting = await u.meetings.add(Meeting(None, date(2026, 3, 19)))
        await u.commit()
    hearing = await hearings_service.register(LEADER, form())
    placed = await hearings_service.put_on_agenda(SECRETARY, hearing.id, hearing.version, meeting.id)
    assert placed.status is HearingStatus.TO_MEETING and placed.meeting_id == meeting.id
    async with uow() as u:
        [item] = [i for i in await u.agenda.items(meeting.id) if i.id == placed.agenda_item_id]
    assert item.case_type.value == "horing" and item.title == hearing.title and item.case_id is None
    with pytest.raises(Conflict) as stale:
        await hearings_service.set_status(LEADER, hearing.id, hearing.version, HearingStatus.DECIDED)
    assert stale.value.key == "hearings.changed"
    decided = await hearings_service.set_status(LEADER, placed.id, placed.version, HearingStatus.DECIDED,
                                                decision="Rådet slutter seg til utkastet.")
    sent = await hearings_service.set_status(LEADER, decided.id, decided.version, HearingStatus.SENT,
                                             response_reference="26/00123-4")
    assert (sent.status, sent.response_reference) == (HearingStatus.SENT, "26/00123-4")
    assert await hearings_service.register_view(LEADER) == []
    assert len(await hearings_service.register_view(LEADER, include_closed=True)) == 1
    async with uow() as u:
        actions = [a.action for a in await u.audit.for_entity("hearing", str(hearing.id))]
    assert actions == ["register", "put_on_agenda", "status:vedtatt", "status:sendt"]


# --- schema -------------------------------------------------------------------------------------------------------


async def test_migration_0005_matches_the_table_definitions(engine):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    ours = {"hearings", "votes", "vote_ballots", "vote_ballot_history", "vote_secret_ballots", "vote_voters"}

    def diff(connection):
        return compare_metadata(MigrationContext.configure(connection), metadata)

    async with engine.connect() as connection:
        differences = await connection.run_sync(diff)
        counts = (await connection.execute(select(func.count()).select_from(vote_voters))).scalar_one()
    assert counts == 0
    mentioned = [d for d in differences if ours & set(str(d).replace("'", " ").replace("(", " ").split())]
    assert mentioned == []


# --- a database restart ---------------------------------------------------------------------------------------------


@pytest.fixture
async def postgres_uow():
    """PostgreSQL only: a restart drops the server side of every pooled connection."""
    await require_postgres()
    await reset_postgres()
    engine = make_engine(POSTGRES_URL)
    await migrate(engine)
    yield unit_of_work_factory(engine)
    await engine.dispose()


async def test_a_cast_after_a_database_restart_is_stored_and_answered(postgres_uow, clock):
    import asyncpg

    uow = postgres_uow
    service = VoteService(uow, clock, FakeVoteMessages(), KEY, OSLO)
    people = await seed(uow, 3)
    vote = await service.open_vote(LEADER, request())
    assert (await service.cast(people[0], vote.id, E)).changed  # the pool now holds live connections
    killer = await asyncpg.connect(POSTGRES_URL.replace("+asyncpg", ""))
    try:  # what a restart does to them
        await killer.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                             "WHERE datname = current_database() AND pid <> pg_backend_pid()")
    finally:
        await killer.close()

    mine = await service.cast(people[1], vote.id, U)  # the first try meets a dropped connection

    assert mine.changed and mine.tally.voted == 2
    assert (await service.view(LEADER, vote.id)).tally.counts == {E: 1, M: 0, U: 1, A: 0}
