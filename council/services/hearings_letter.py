"""The høringssvar letter: what it is built from once the council has decided its response, and the leader's
confirmation that it was sent (which alone moves the hearing to «Sendt», with the journal number)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, tzinfo

from council.clock import Clock
from council.errors import InvalidInput, NotAllowed, NotFound
from council.hearings import Hearing, HearingStatus
from council.ids import stored_id
from council.members import Member, require_organiser
from council.records import default_chair
from council.services.ports import UnitOfWorkFactory

LETTER_STATUSES = frozenset({HearingStatus.DECIDED, HearingStatus.SENT})


@dataclass(frozen=True)
class HearingLetterView:
    hearing: Hearing
    leader: Member | None  # signs the letter
    council: str
    letter_date: date
    decided_in: str = ""  # the agenda item that decided it ("Sak 03/27"); "" when decided by a vote
    decided_on: date | None = None  # the meeting date, or the day the vote closed


class HearingLetterService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, tz: tzinfo, council: str, number_format: str) -> None:
        self._uow = uow
        self._clock = clock
        self._tz = tz
        self._council = council
        self._number_format = number_format

    async def letter(self, actor: Member, hearing_id: int) -> HearingLetterView:
        """Leader and secretary: the letter of a decided (or already sent) response."""
        require_organiser(actor)
        async with self._uow() as uow:
            hearing = await uow.hearings.get(hearing_id)
            if hearing is None:
                raise NotFound("hearings.not_found")
            if hearing.status not in LETTER_STATUSES or not hearing.decision.strip():
                raise InvalidInput("hearings.letter_not_decided")
            decided_in, decided_on = "", None
            item = await uow.agenda.get(hearing.agenda_item_id) if hearing.agenda_item_id else None
            record = (await uow.agenda.records(item.meeting_id)).get(stored_id(item.id)) if item else None
            if item is not None and record is not None:
                meeting = await uow.meetings.get(item.meeting_id)
                decided_in = item.label(self._number_format)
                decided_on = meeting.date if meeting else None
            elif hearing.vote_id is not None:
                vote = await uow.votes.get(hearing.vote_id)
                if vote is not None and vote.closed_at is not None:
                    decided_on = vote.closed_at.astimezone(self._tz).date()
            leader = default_chair(await uow.members.all())
        changed = hearing.status_changed_at if hearing.status is HearingStatus.SENT else None
        letter_date = (changed or self._clock.now()).astimezone(self._tz).date()
        return HearingLetterView(hearing, leader, self._council, letter_date, decided_in, decided_on)


def require_leader_for_sent(actor: Member, status: HearingStatus) -> None:
    """Only the leader confirms that the høringssvar was sent (with its journal number)."""
    if status is HearingStatus.SENT and not actor.is_leader:
        raise NotAllowed("hearings.sent_leader_only")
