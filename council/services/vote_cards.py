"""What the council may see of a vote, and the shared card drawn from it (VoteService's presentation side).

The shared card is not drawn in a ballot's transaction: `refresh_cards` (run by the outbox sweep, which every change
wakes) redraws each changed vote's card from what is committed and queues one UPDATE under a per-vote version
counter (the newest content wins), so a burst of ballots costs one card update and the ballot's own transaction
stays short.
"""
from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from council.clock import Clock
from council.ids import stored_id
from council.members import Member
from council.outbox import Operation
from council.services.outbox import queue
from council.services.ports import UnitOfWork, UnitOfWorkFactory, VoteMessages
from council.votes import Choice, Outcome, Tally, Vote, VoterLine, VoteStatus, tally_groups, visible_tally

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class VoteView:
    """What anyone in the council may see of a vote now. `names` is None for a secret vote; empty in a cast's
    answer (who voted what is shown only once the vote is closed)."""

    vote: Vote
    tally: Tally
    names: tuple[VoterLine, ...] | None


@dataclass(frozen=True)
class MyBallot:
    """A voter's own view: `choice` is what they chose (in a secret vote only in the answer to their cast)."""

    vote: Vote
    entitled: bool
    voted: bool
    choice: Choice | None
    comment: str
    changed: bool  # False for a redelivery or the same choice again
    tally: Tally
    view: VoteView | None = None  # the vote as read with this ballot (saves the caller a second read)


@dataclass(frozen=True)
class VoteExport:
    """Results for CSV/PDF: a named vote lists each voter and every change; a secret vote only counts."""

    vote: Vote
    tally: Tally
    outcome: Outcome | None
    ballots: tuple[VoterLine, ...]
    history: tuple[VoterLine, ...]


def card_key(vote: Vote) -> str:
    """The delivery key of the vote's shared card in the channel; its updates are f"{key}:v{n}"."""
    return f"vote:{vote.id}:card"


class VoteCards:
    """Counts and names as they may be shown, and the shared card drawn from them."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, messages: VoteMessages,
                 directory: Callable[[], Awaitable[dict[str, Member]]] | None = None) -> None:
        self._uow = uow
        self._clock = clock
        self._messages = messages
        self._directory = directory or self._read_members

    async def first_card(self, uow: UnitOfWork, vote: Vote) -> dict[str, Any]:
        """The card posted when the vote opens: nobody has voted yet."""
        counted = Tally(dict.fromkeys(vote.options, 0), 0, len(vote.entitled))
        return self._messages.vote_card(vote, visible_tally(vote, counted), await self.names(uow, vote, counted),
                                        refresh_ids=await self.refresh_ids(vote))

    async def result_post(self, uow: UnitOfWork, vote: Vote) -> dict[str, Any]:
        """The result posted once the vote is closed, with the names for a named vote."""
        if vote.final is None or vote.outcome is None:
            raise ValueError(f"vote {vote.id} has no result to post")
        return self._messages.result_post(vote, vote.final, vote.outcome, await self.names(uow, vote, vote.final))

    async def refresh_cards(self) -> int:
        """Redraw the shared card of every vote changed since its card was last queued, from what is committed
        (the outbox sweep runs this before delivering). Returns how many card updates were queued.

        A card whose previous drawing is still waiting to go out (Teams' per-conversation pacing) is drawn
        again only once that one has gone, so there is never more than one drawing in the queue and no work
        drawn to be superseded. The card is drawn before anything is written and queued under a compare-and-set
        on `card_shown` as the last statement, which keeps an older drawing from another process from
        replacing a newer one and holds the vote's row only for the commit."""
        async with self._uow() as uow:
            stale = await uow.votes.stale_cards()
        queued = 0
        for vote_id in stale:
            try:
                queued += await self._refresh_card(vote_id)
            except Exception:  # one vote's card must not hold up the others or the outbox after it
                log.exception("votes: the card of vote %s was not redrawn; tried again on the next sweep", vote_id)
        return queued

    async def _refresh_card(self, vote_id: int) -> int:
        async with self._uow() as uow:
            read = await uow.votes.get_with_changes(vote_id)
            if read is None:
                return 0
            vote, changes = read
            if await uow.outbox.has_pending(card_key(vote)):
                return 0  # the next sweep after it has gone
            original = await uow.outbox.get_by_key(card_key(vote))  # gone only if pruned long ago
            if original is not None:
                card = await self.draw(uow, vote)
                version = await uow.counters.next(card_key(vote))
                await queue(uow, self._clock, key=f"{card_key(vote)}:v{version}", operation=Operation.UPDATE,
                            target=original.target, update_of=card_key(vote), activity=card)
            # last, so the vote's row is held only until the commit that follows: casts wait on it
            if not await uow.votes.card_shown(vote_id, changes):
                return 0  # someone queued this drawing, or a newer one, meanwhile: ours is rolled back
            await uow.commit()
            return int(original is not None)

    async def draw(self, uow: UnitOfWork, vote: Vote) -> dict:
        """The shared card as of now; who voted what only on a closed named vote."""
        counted = await self.tally(uow, vote, locked=False)
        names = await self.names(uow, vote, counted) if vote.status is VoteStatus.CLOSED else None
        return self._messages.vote_card(vote, visible_tally(vote, counted), names,
                                        refresh_ids=await self.refresh_ids(vote))

    async def tally(self, uow: UnitOfWork, vote: Vote, locked: bool = True) -> Tally:
        """The counts now, read in the caller's transaction (after its own ballot, under the vote's lock).

        Without the lock, an open secret vote gives turnout only: its counts are not shown anyway, and two
        reads without the lock may straddle another voter's commit."""
        if vote.final is not None:
            return vote.final
        if vote.status is not VoteStatus.OPEN or (vote.secret and not locked):
            return Tally({}, await uow.votes.voted_count(stored_id(vote.id)), len(vote.entitled), hidden=True)
        if not vote.secret:
            return tally_groups(await uow.votes.counts(stored_id(vote.id)), vote)
        counted = tally_groups(await uow.votes.anonymous_counts(stored_id(vote.id)), vote,
                               voted=await uow.votes.voted_count(stored_id(vote.id)))
        if sum(counted.counts.values()) != counted.voted:
            raise RuntimeError(f"vote {vote.id}: secret ballots and voters disagree; every process must use the "
                               "same ballot key")
        return counted

    async def names(self, uow: UnitOfWork, vote: Vote, counted: Tally | None) -> tuple[VoterLine, ...] | None:
        """Named votes: every entitled voter, whether they voted, and their choice where counts may be shown."""
        if vote.secret:
            return None
        reveal = counted is not None and not visible_tally(vote, counted).hidden
        ballots = {b.voter: b for b in await uow.votes.ballots(stored_id(vote.id))}
        members = await self._directory()
        lines = []
        for voter in vote.entitled:
            ballot = ballots.get(voter)
            name = members[voter].name if voter in members else voter
            lines.append(VoterLine(voter, name, ballot is not None,
                                   ballot.choice if ballot and reveal else None,
                                   ballot.comment if ballot and reveal else "",
                                   ballot.cast_at if ballot and reveal else None))
        return tuple(lines)

    async def refresh_ids(self, vote: Vote) -> tuple[str, ...]:
        """Teams user ids of the entitled voters: Teams refreshes the card for them (their own view)."""
        if not vote.is_open:
            return ()
        members = await self._directory()
        ids = (members[voter].teams_user_id for voter in vote.entitled if voter in members)
        return tuple(teams_id for teams_id in ids if teams_id)

    async def _read_members(self) -> dict[str, Member]:
        async with self._uow() as uow:
            return {m.aad_object_id: m for m in await uow.members.all()}

