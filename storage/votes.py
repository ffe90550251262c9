"""Votes and ballots. Casting is an upsert on (vote, voter) — or (vote, token) for a secret vote — so a
redelivered ballot never counts twice; closing is a compare-and-set on the vote's version.

Secret votes (see council/votes.py): `vote_secret_ballots` has no voter column, no time and no sequence, and
this repository has no read that takes or returns a token. `record_secret` only writes; `anonymous_counts`
returns choices and remarks summed, without any key. `forget_secret_ballots` removes them at closing.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, insert, select, update

from council.votes import Ballot, Choice, Majority, Outcome, Quorum, Tally, Vote, VoteStatus
from storage.tables import vote_ballot_history, vote_ballots, vote_secret_ballots, vote_voters, votes
from storage.upsert import insert_rows


def _to_vote(row) -> Vote:
    return Vote(
        id=row.id, question=row.question, proposal=row.proposal, deadline=row.deadline,
        created_by=row.created_by, created_at=row.created_at, entitled=tuple(row.entitled or ()),
        hearing_id=row.hearing_id, options=tuple(Choice(c) for c in row.options), secret=row.secret,
        live_tally=row.live_tally, quorum=Quorum(row.quorum), majority=Majority(row.majority),
        status=VoteStatus(row.status), outcome=Outcome(row.outcome) if row.outcome else None,
        final=Tally.from_dict(row.final) if row.final else None, closed_at=row.closed_at, closed_by=row.closed_by,
        reason=row.reason, extensions=row.extensions, ballot_salt=row.ballot_salt, version=row.version,
    )


def _values(v: Vote) -> dict:
    return {
        "hearing_id": v.hearing_id, "question": v.question, "proposal": v.proposal, "deadline": v.deadline,
        "options": [c.value for c in v.options], "secret": v.secret, "live_tally": v.live_tally,
        "quorum": v.quorum.value, "majority": v.majority.value, "entitled": list(v.entitled),
        "status": v.status.value, "outcome": v.outcome.value if v.outcome else None,
        "final": v.final.as_dict() if v.final else None, "closed_at": v.closed_at, "closed_by": v.closed_by,
        "reason": v.reason, "extensions": v.extensions, "ballot_salt": v.ballot_salt,
        "created_by": v.created_by, "created_at": v.created_at, "version": v.version,
    }


def _to_ballot(row) -> Ballot:
    return Ballot(vote_id=row.vote_id, voter=row.voter, choice=Choice(row.choice), comment=row.comment,
                  cast_at=row.cast_at)


class SqlVotes:
    def __init__(self, session) -> None:
        self._s = session

    # --- votes ----------------------------------------------------------------------------------------------
    async def add(self, vote: Vote) -> Vote:
        result = await self._s.execute(insert(votes).values(**_values(vote)).returning(votes.c.id))
        return await self.get(result.scalar_one())

    async def get(self, vote_id: int) -> Vote | None:
        row = (await self._s.execute(select(votes).where(votes.c.id == vote_id))).first()
        return _to_vote(row) if row else None

    async def lock(self, vote_id: int, known: Vote | None = None) -> Vote | None:
        """Read the vote for a change and hold it until commit, so changes to one vote run one at a time; the
        change counts towards the shared card (`stale_cards`). The UPDATE takes PostgreSQL's row lock or SQLite's
        write lock before anything is read. `known`: a copy the caller holds, returned as is while its version
        is current (every change of a vote's own fields raises the version; see `save`)."""
        locking = update(votes).where(votes.c.id == vote_id).values(card_changes=votes.c.card_changes + 1)
        if known is None:
            row = (await self._s.execute(locking.returning(votes))).first()
            return _to_vote(row) if row else None
        version = (await self._s.execute(locking.returning(votes.c.version))).scalar_one_or_none()
        if version is None:
            return None
        return known if version == known.version else await self.get(vote_id)

    async def get_with_changes(self, vote_id: int) -> tuple[Vote, int] | None:
        """The vote and how many changes it has had (for the card redraw; no lock)."""
        row = (await self._s.execute(select(votes).where(votes.c.id == vote_id))).first()
        return (_to_vote(row), row.card_changes) if row else None

    async def stale_cards(self) -> list[int]:
        """Votes changed since their shared card was last queued."""
        rows = await self._s.execute(select(votes.c.id).where(votes.c.card_changes > votes.c.card_shown)
                                     .order_by(votes.c.id))
        return [r.id for r in rows]

    async def card_shown(self, vote_id: int, changes: int) -> bool:
        """Compare-and-set: record that the card queued now shows `changes`; False if one showing as many or
        more was queued already."""
        result = await self._s.execute(update(votes).where(votes.c.id == vote_id, votes.c.card_shown < changes)
                                       .values(card_shown=changes))
        return result.rowcount == 1

    async def save(self, vote: Vote, expected_version: int) -> bool:
        """Compare-and-set: False when someone else (another process) changed the vote first."""
        result = await self._s.execute(update(votes).where(votes.c.id == vote.id, votes.c.version == expected_version)
                                       .values(**_values(vote)))
        return result.rowcount == 1

    async def due(self, now: datetime) -> list[Vote]:
        """Open votes whose deadline has come (also those missed while the bot was down)."""
        rows = await self._s.execute(select(votes).where(votes.c.status == VoteStatus.OPEN.value,
                                                         votes.c.deadline <= now).order_by(votes.c.deadline))
        return [_to_vote(r) for r in rows]

    async def open_votes(self) -> list[Vote]:
        rows = await self._s.execute(select(votes).where(votes.c.status == VoteStatus.OPEN.value)
                                     .order_by(votes.c.deadline, votes.c.id))
        return [_to_vote(r) for r in rows]

    async def for_hearing(self, hearing_id: int) -> list[Vote]:
        rows = await self._s.execute(select(votes).where(votes.c.hearing_id == hearing_id).order_by(votes.c.id))
        return [_to_vote(r) for r in rows]

    async def closed_between(self, first: datetime, last: datetime) -> list[Vote]:
        """Votes closed with a result in [first, last): what a meeting's minutes list."""
        rows = await self._s.execute(select(votes).where(votes.c.status == VoteStatus.CLOSED.value,
                                                         votes.c.closed_at >= first, votes.c.closed_at < last)
                                     .order_by(votes.c.closed_at, votes.c.id))
        return [_to_vote(r) for r in rows]

    # --- who has voted (both modes) ---------------------------------------------------------------------------
    async def mark_voted(self, vote_id: int, voters: list[str], at: datetime) -> None:
        """Remember who has voted in a secret vote (whose ballots name nobody); `voters` distinct."""
        await insert_rows(self._s, vote_voters, [{"vote_id": vote_id, "voter": v, "voted_at": at} for v in voters],
                          ["vote_id", "voter"])

    def _voters(self, vote_id: int):
        """Who has voted, either mode: marked (secret) or holding a ballot (named)."""
        return select(vote_voters.c.voter).where(vote_voters.c.vote_id == vote_id).union(
            select(vote_ballots.c.voter).where(vote_ballots.c.vote_id == vote_id))

    async def voters(self, vote_id: int) -> set[str]:
        return set((await self._s.execute(self._voters(vote_id))).scalars())

    async def voted_count(self, vote_id: int) -> int:
        return (await self._s.execute(select(func.count()).select_from(self._voters(vote_id).subquery()))).scalar_one()

    # --- named ballots --------------------------------------------------------------------------------------
    async def record(self, ballots: list[Ballot]) -> set[str]:
        """Upsert the voters' current ballots (one per voter); returns the voters whose ballot changed (not
        those who already held this choice and comment)."""
        return set(await insert_rows(self._s, vote_ballots, [
            {"vote_id": b.vote_id, "voter": b.voter, "choice": b.choice.value, "comment": b.comment,
             "cast_at": b.cast_at} for b in ballots], ["vote_id", "voter"], update=True,
            compare=["choice", "comment"], returning="voter"))

    async def add_history(self, ballots: list[Ballot]) -> None:
        if ballots:
            await self._s.execute(insert(vote_ballot_history), [
                {"vote_id": b.vote_id, "voter": b.voter, "choice": b.choice.value, "comment": b.comment,
                 "cast_at": b.cast_at} for b in ballots])

    async def ballot(self, vote_id: int, voter: str) -> Ballot | None:
        """A named vote's ballot of one voter (the repository's caller only asks this of named votes)."""
        row = (await self._s.execute(select(vote_ballots).where(vote_ballots.c.vote_id == vote_id,
                                                                vote_ballots.c.voter == voter))).first()
        return _to_ballot(row) if row else None

    async def ballots(self, vote_id: int) -> list[Ballot]:
        rows = await self._s.execute(select(vote_ballots).where(vote_ballots.c.vote_id == vote_id)
                                     .order_by(vote_ballots.c.cast_at, vote_ballots.c.voter))
        return [_to_ballot(r) for r in rows]

    async def counts(self, vote_id: int) -> list[tuple[Choice, str, int]]:
        """A named vote's current ballots summed by choice and remark (what the tally needs, cheaply)."""
        return await self._counts(vote_ballots, vote_id)

    async def _counts(self, table, vote_id: int) -> list[tuple[Choice, str, int]]:
        rows = await self._s.execute(select(table.c.choice, table.c.comment, func.count())
                                     .where(table.c.vote_id == vote_id).group_by(table.c.choice, table.c.comment))
        return [(Choice(choice), comment, number) for choice, comment, number in rows]

    async def history(self, vote_id: int) -> list[Ballot]:
        rows = await self._s.execute(select(vote_ballot_history).where(vote_ballot_history.c.vote_id == vote_id)
                                     .order_by(vote_ballot_history.c.id))
        return [_to_ballot(r) for r in rows]

    # --- secret ballots -------------------------------------------------------------------------------------
    async def record_secret(self, vote_id: int, ballots: list[tuple[str, Choice, str]]) -> list[bool]:
        """Write-only upsert of anonymous ballots (token, choice, comment), one per token; for each, whether it
        changed (False when that token already held this choice and comment)."""
        written = set(await insert_rows(self._s, vote_secret_ballots, [
            {"vote_id": vote_id, "token": token, "choice": choice.value, "comment": comment}
            for token, choice, comment in ballots], ["vote_id", "token"], update=True,
            compare=["choice", "comment"], returning="token"))
        return [token in written for token, _, _ in ballots]

    async def anonymous_counts(self, vote_id: int) -> list[tuple[Choice, str, int]]:
        """A secret vote's ballots summed by choice and remark: no voter, no token, no order of casting."""
        return await self._counts(vote_secret_ballots, vote_id)

    async def forget_secret_ballots(self, vote_id: int) -> int:
        """At closing: the counts are on the vote; the anonymous rows go."""
        result = await self._s.execute(delete(vote_secret_ballots).where(vote_secret_ballots.c.vote_id == vote_id))
        return result.rowcount
