"""The case, meeting, agenda and minutes services wired on the fake unit of work, with a council to act."""
from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from council.agenda import ItemKind
from council.conversations import ConversationKind, ConversationRef
from council.meetings import DeadlineRules, Meeting
from council.members import Member, Role
from council.services.agenda import AgendaService
from council.services.cases import CaseService
from council.services.meetings import MeetingService
from council.services.minutes import MinutesService
from council.submission import Draft
from tests.fakes.clock import ManualClock
from tests.fakes.messages import RecordedMessages
from tests.fakes.uow import FakeDatabase, FakeOutbox


class TextRenderer:
    """The RecordRenderer port without a document library: the referat as its outcomes in plain text."""

    def minutes(self, view, kinds: frozenset[str] | None = None) -> dict[str, bytes]:
        body = "\n".join(f"{item_id}: {record.outcome.value} {record.text}"
                         for item_id, record in sorted(view.records.items())).encode()
        return {kind: body for kind in (kinds or {"minutes.pdf", "minutes.docx"})}

OSLO = ZoneInfo("Europe/Oslo")
T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)  # a Thursday
MEETING_DAY = date(2027, 1, 14)  # submission deadline 31 Dec, notice 7 Jan
UNITS = ("Medisinsk klinikk", "Kirurgisk klinikk")
TITLES = {ItemKind.APPROVE_NOTICE: "Godkjenning av innkalling", ItemKind.APPROVE_MINUTES: "Godkjenning av referat",
          ItemKind.FOLLOW_UP: "Oppfølgingsliste", ItemKind.ANY_OTHER: "Eventuelt"}

LEADER = Member("aad-leader", "Kari Leder", roles=frozenset({Role.LEADER}))
SECRETARY = Member("aad-secretary", "Sigrid Sekretær", roles=frozenset({Role.SECRETARY}))
MEMBER = Member("aad-member", "Ola Medlem", roles=frozenset({Role.MEMBER}), unit=UNITS[0])
DEPUTY = Member("aad-deputy", "Lise Vara", roles=frozenset({Role.DEPUTY}), deputy_for="aad-member")
SUBMITTER = Member("aad-emma", "Emma Innmelder", locale="nb-NO")
CHANNEL = ConversationRef("19:council@thread.tacv2", ConversationKind.CHANNEL, "http://127.0.0.1/", "tenant", "28:bot",
                          team_id="19:council@thread.tacv2", channel_id="19:council@thread.tacv2")


class Council:
    """The services of one test, sharing one fake database and one clock."""

    def __init__(self, with_channel: bool = True) -> None:
        self.db = FakeDatabase()
        self.clock = ManualClock(T0)
        self.messages = RecordedMessages()
        self.with_channel = with_channel
        self.meetings = MeetingService(self.db, self.clock, DeadlineRules(), OSLO, messages=self.messages,
                                       standing_titles=TITLES)
        self.cases = CaseService(self.db, self.clock, self.meetings, self.messages, UNITS)
        self.agenda = AgendaService(self.db, self.clock, self.meetings, self.messages, OSLO)
        self.minutes = MinutesService(self.db, self.clock, self.agenda, self.messages, self.messages,
                                      self.meetings.today, renderer=TextRenderer())

    async def seed(self) -> None:
        async with self.db() as uow:
            for member in (LEADER, SECRETARY, MEMBER, DEPUTY, SUBMITTER):
                await uow.members.save(member)
            if self.with_channel:
                await uow.conversations.save(CHANNEL, T0)
            await uow.commit()

    async def meeting(self, day: date = MEETING_DAY) -> Meeting:
        return await self.meetings.add_meeting(LEADER, day, time(9), time(11), "Rom 1")

    async def submit(self, key: str = "key-1", pii_confirmed: bool = False, **fields: object):
        """A valid draft from the submitter, with `fields` changed."""
        values: dict = {"title": "Felles mal for innkalling", "description": "Vi trenger en felles mal.",
                        "unit": UNITS[0], "case_type": "beslutning", "submission_key": key, **fields}
        return await self.cases.submit(SUBMITTER, Draft(**values), pii_confirmed)

    async def outbox(self) -> FakeOutbox:
        async with self.db() as uow:
            return uow.outbox

    async def queued(self, message: str) -> list:
        """The activities queued for delivery that draw `message`, oldest first."""
        outbox = await self.outbox()
        return [m for m in outbox.messages() if m.activity.get("message") == message]


@pytest.fixture
async def council() -> Council:
    council = Council()
    await council.seed()
    return council
