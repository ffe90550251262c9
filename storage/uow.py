"""The unit of work: one connection, one transaction, all repositories.

A Core connection, not an ORM session: the repositories map rows themselves, and the session's bookkeeping
would cost every request time for nothing."""
from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from storage.activities import SqlActivities
from storage.agenda import SqlAgenda
from storage.audit import SqlAudit
from storage.benefits import SqlBenefits
from storage.bot_state import SqlKeyValue
from storage.cases import SqlCases
from storage.conversations import SqlConversations
from storage.counters import SqlCounters
from storage.evaluation import SqlEvaluation
from storage.guests import SqlGuests
from storage.hearings import SqlHearings
from storage.meetings import SqlMeetings
from storage.members import SqlMembers
from storage.outbox import SqlOutbox
from storage.pask import SqlPask
from storage.records import SqlCasePapers, SqlRecords
from storage.registers import SqlHearingRegister, SqlMeetingPlan, SqlRegisters
from storage.reminders import SqlReminders
from storage.seats import SqlSeats
from storage.themes import SqlThemes
from storage.votes import SqlVotes


class SqlUnitOfWork:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def __aenter__(self) -> "SqlUnitOfWork":
        self.session = await self._engine.connect()
        self.members = SqlMembers(self.session)
        self.conversations = SqlConversations(self.session)
        self.outbox = SqlOutbox(self.session)
        self.audit = SqlAudit(self.session)
        self.state = SqlKeyValue(self.session)
        self.activities = SqlActivities(self.session)
        self.cases = SqlCases(self.session)
        self.meetings = SqlMeetings(self.session)
        self.counters = SqlCounters(self.session)
        self.agenda = SqlAgenda(self.session)
        self.pask = SqlPask(self.session)
        self.themes = SqlThemes(self.session)
        self.reminders = SqlReminders(self.session)
        self.hearings = SqlHearings(self.session)
        self.votes = SqlVotes(self.session)
        self.records = SqlRecords(self.session)
        self.papers = SqlCasePapers(self.session)
        self.benefits = SqlBenefits(self.session)
        self.registers = SqlRegisters(self.session)
        self.evaluation = SqlEvaluation(self.session)
        self.seats = SqlSeats(self.session)
        self.hearing_register = SqlHearingRegister(self.session)
        self.meeting_plan = SqlMeetingPlan(self.session)
        self.guests = SqlGuests(self.session)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.session.rollback()  # no-op after commit; undoes anything uncommitted
        await self.session.close()

    async def commit(self) -> None:
        await self.session.commit()


def unit_of_work_factory(engine: AsyncEngine):
    """What services receive: a callable that opens a fresh unit of work."""
    return lambda: SqlUnitOfWork(engine)
