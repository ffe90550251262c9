"""Composition root: create_app(settings) builds everything; main() runs it. Nothing is built at import."""
from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass, field

from aiohttp import web
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from botbuilder.core import ConversationState

from bot.adapter import build_adapter
from bot.cases import CasesFeature
from bot.exports import ROUTES as EXPORT_ROUTES
from bot.exports import ExportLinks, LinkSigner, export_handlers
from bot.handler import RaadsbotHandler
from bot.meetings import MeetingsFeature
from bot.reminders import RemindersFeature
from bot.themes import ThemesFeature
from bot.votes import VotesFeature
from bot.notifier import TeamsNotifier
from bot.routes import messages_route
from bot.state_store import DatabaseStorage
from calendars.graph import GraphCalendarWriter, GraphSource
from calendars.ics import IcsSource
from cards.case_messages import CardCaseMessages
from cards.meeting_messages import CardMeetingMessages, standing_titles
from cards.pask_messages import CardPaskMessages
from cards.reminders import CardReminderMessages
from cards.themes import CardThemeMessages
from cards.vote_messages import CardVoteMessages
from council.hearings import HearingRules
from council.clock import Clock, SystemClock
from council.owners import owner_alive, process_owner
from council.pask import PaskFilter
from council.services.agenda import AgendaService
from council.services.activities import ActivityLog
from council.services.cases import CaseService
from council.services.conversations import ConversationService
from council.services.hearings import HearingService
from council.services.housekeeping import HousekeepingService
from council.services.members import MemberService
from council.services.meetings import MeetingService
from council.services.minutes import MinutesService
from council.services.outbox import OutboxService
from council.services.pask import PaskService
from council.services.registers import RegisterService
from council.services.reminders import ReminderService
from council.services.seats import SeatService
from council.services.themes import ThemeService
from council.services.votes import VoteService
from council.settings import Settings, SettingsError, ensure_sqlite_folder
from scheduler import RecurringJob, build_scheduler, describe, kick
from storage.db import make_engine, migrate, ping
from storage.uow import unit_of_work_factory
from web.routes import TAB, mount as mount_tab
from web.tab import build_tab

log = logging.getLogger("radsbot")
OUTBOX_JOB = "outbox.sweep"
VOTES_JOB = "votes.sweep"
REMINDERS_JOB = "reminders.sweep"


@dataclass
class Container:
    """The built application parts, reachable from tests as app[CONTAINER]."""

    settings: Settings
    clock: Clock
    owner: str = field(default_factory=process_owner)
    engine: object = None
    uow: object = None
    members: MemberService | None = None
    conversations: ConversationService | None = None
    outbox: OutboxService | None = None
    housekeeping: HousekeepingService | None = None
    meetings: MeetingService | None = None
    cases: CaseService | None = None
    agenda: AgendaService | None = None
    minutes: MinutesService | None = None
    pask: PaskService | None = None
    hearings: HearingService | None = None
    votes: VoteService | None = None
    themes: ThemeService | None = None
    reminders: ReminderService | None = None
    calendar_writer: GraphCalendarWriter | None = None
    handler: RaadsbotHandler | None = None
    adapter: object = None
    scheduler: object = None

    async def sweep_outbox(self):
        """The outbox job: redraw the vote cards changed since the last sweep, then deliver what is due."""
        await self.votes.refresh_cards()
        return await self.outbox.deliver_due()


CONTAINER = web.AppKey("radsbot", Container)
MESSAGES = web.AppKey("messages", object)
EXPORT = web.AppKey("export", object)


def create_app(settings: Settings, *, clock: Clock | None = None) -> web.Application:
    app = web.Application(client_max_size=256 * 1024)
    container = Container(settings=settings, clock=clock or SystemClock())
    app[CONTAINER] = container
    app.cleanup_ctx.append(_database(container))
    app.cleanup_ctx.append(_bot(container))
    app.cleanup_ctx.append(_scheduler(container))

    async def messages(request: web.Request) -> web.Response:
        return await app[MESSAGES](request)

    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", _healthz(container))

    for name, path in EXPORT_ROUTES.items():
        app.router.add_get(path, _dispatch(app, name))
    mount_tab(app)  # the council's tab under /tab/ (web/)
    return app


def _dispatch(app: web.Application, name: str):
    """Routes are fixed before start-up; their handlers are built with the services in cleanup_ctx."""
    async def handle(request: web.Request) -> web.Response:
        return await app[EXPORT][name](request)
    return handle


def _database(c: Container):
    async def ctx(app: web.Application):
        ensure_sqlite_folder(c.settings.database_url)
        c.engine = make_engine(c.settings.database_url)
        await migrate(c.engine)
        c.uow = unit_of_work_factory(c.engine)
        yield
        await c.engine.dispose()
    return ctx


def _bot(c: Container):
    async def ctx(app: web.Application):
        s = c.settings
        c.members = MemberService(c.uow, c.clock, s.leaders, s.units, cache_seconds=s.member_cache_seconds)
        c.conversations = ConversationService(c.uow, c.clock)
        c.outbox = OutboxService(c.uow, c.clock, s.limits, c.owner, linger=s.outbox_linger_seconds,
                                 owner_alive=owner_alive)
        c.housekeeping = HousekeepingService(c.uow, c.clock)
        signer = LinkSigner(s.base_url, s.export_signing_key, clock=lambda: c.clock.now().timestamp())
        links = ExportLinks(signer)
        meeting_messages = CardMeetingMessages(s.deadlines, links.document)
        case_messages = CardCaseMessages()
        c.meetings = MeetingService(c.uow, c.clock, s.deadlines, s.tz, s.plan, meeting_messages, standing_titles())
        c.cases = CaseService(c.uow, c.clock, c.meetings, case_messages, s.units, s.triage_to_channel)
        c.agenda = AgendaService(c.uow, c.clock, c.meetings, meeting_messages, s.tz, s.number_format)
        c.minutes = MinutesService(c.uow, c.clock, c.agenda, meeting_messages, case_messages, c.meetings.today,
                                   votes_between=lambda first, last: c.votes.closed_between(first, last))
        c.pask = PaskService(c.uow, c.clock, _pask_sources(s), s.tz, CardPaskMessages())
        c.hearings = HearingService(c.uow, c.clock, s.tz, HearingRules(internal_working_days_before=
                                                                        s.hearing_internal_days), s.plan)
        c.themes = ThemeService(c.uow, c.clock, s.tz, s.plan, CardThemeMessages())
        c.votes = VoteService(c.uow, c.clock, CardVoteMessages(s.tz), s.ballot_key.encode(), s.tz,
                              reminder_hours=s.vote_reminder_hours, directory=c.members.directory)
        c.reminders = ReminderService(c.uow, c.clock, s.tz, CardReminderMessages(), votes=c.votes,
                                      deadlines=s.deadlines, plan_rules=s.plan)
        c.calendar_writer = _calendar_writer(s)
        c.adapter = build_adapter(s)
        c.outbox.notifier = TeamsNotifier(c.adapter, s.app_id)
        state = ConversationState(DatabaseStorage(c.uow, c.clock))
        app[EXPORT] = export_handlers(signer, members=c.members, cases=c.cases, meetings=c.meetings,
                                      agenda=c.agenda, minutes=c.minutes, votes=c.votes, tz=s.tz)
        app[TAB] = build_tab(s, c.members, RegisterService(c.uow, c.members.directory, c.clock, s.tz),
                             SeatService(c.uow, c.clock, s.tz, c.members), links.document)
        c.handler = RaadsbotHandler(
            members=c.members, conversations=c.conversations, activities=ActivityLog(c.uow, c.clock),
            conversation_state=state, cases=CasesFeature(c.cases, c.meetings, s.units, s.case_flag_days, links),
            meetings=MeetingsFeature(c.meetings, c.agenda, c.minutes, c.members, c.pask, links),
            votes=VotesFeature(c.hearings, c.votes, c.meetings, c.members, links, s.tz),
            themes=ThemesFeature(c.themes), reminders=RemindersFeature(c.reminders))
        app[MESSAGES] = messages_route(c.adapter, c.handler.on_turn, s.anonymous, s.tenant_allow_list)
        yield
        await c.pask.close()
        if c.calendar_writer is not None:
            await c.calendar_writer.aclose()
    return ctx


def _pask_sources(s: Settings) -> dict:
    """The configured PASK calendars (typed-in dates need no source: they are stored directly)."""
    rules = PaskFilter.from_text(s.pask_titles)
    sources = {}
    if s.pask_ics:
        sources["ics"] = IcsSource(s.pask_ics, s.tz, rules)
    if s.pask_graph:
        tenant, client_id, secret, mailbox = s.pask_graph
        sources["graph"] = GraphSource(tenant, client_id, secret, mailbox, s.tz, rules)
    return sources


def _calendar_writer(s: Settings) -> GraphCalendarWriter | None:
    """With Graph configured, the council's meetings are also written as events in the same mailbox's calendar:
    the app registration then needs the application permission Calendars.ReadWrite (not only Calendars.ReadBasic)."""
    if not s.pask_graph:
        return None
    tenant, client_id, secret, mailbox = s.pask_graph
    return GraphCalendarWriter(tenant, client_id, secret, mailbox)


async def _meetings_sweep(c: Container) -> None:
    """Publish notices that are due, and announce changes to published ones (once per quiet spell)."""
    await c.agenda.publish_due_notices()
    await c.agenda.announce_changes()


async def _votes_sweep(c: Container) -> None:
    """Close votes whose deadline has passed (once, whichever process gets there); reminders are the
    reminder engine's (its 'vote closing' rule decides whether and when)."""
    await c.votes.close_due()


def _scheduler(c: Container):
    async def ctx(app: web.Application):
        if not c.settings.start_scheduler:
            yield
            return
        tz = c.settings.tz
        jobs = [
            RecurringJob(OUTBOX_JOB, c.sweep_outbox,
                         IntervalTrigger(seconds=c.settings.outbox_sweep_seconds, timezone=tz), misfire_grace_time=30),
            RecurringJob("housekeeping.prune", c.housekeeping.prune, CronTrigger(hour=6, minute=15, timezone=tz),
                         misfire_grace_time=6 * 3600),
            RecurringJob("meetings.sweep", lambda: _meetings_sweep(c),
                         CronTrigger(hour="4-23", minute="*/5", timezone=tz), misfire_grace_time=600),
            RecurringJob("pask.sync", c.pask.sync, CronTrigger(hour=6, minute=30, timezone=tz),
                         misfire_grace_time=6 * 3600),
            RecurringJob(VOTES_JOB, lambda: _votes_sweep(c), IntervalTrigger(minutes=1, timezone=tz),
                         misfire_grace_time=120),
            RecurringJob(REMINDERS_JOB, c.reminders.sweep, IntervalTrigger(minutes=15, timezone=tz),
                         misfire_grace_time=900),
            RecurringJob("themes.remind", c.themes.remind_non_responders, CronTrigger(hour=9, minute=0, timezone=tz),
                         misfire_grace_time=6 * 3600),
        ]
        if c.calendar_writer is not None:  # meetings whose Outlook event is missing or stale, every 5 minutes
            jobs.append(RecurringJob("meetings.calendar", lambda: c.meetings.sync_calendar(c.calendar_writer),
                                     IntervalTrigger(minutes=5, timezone=tz), misfire_grace_time=300))
        c.scheduler = build_scheduler(c.settings.timezone, jobs)
        c.scheduler.start()
        for service in (c.cases, c.meetings, c.agenda, c.minutes, c.votes, c.themes, c.reminders):
            service.wake = lambda: kick(c.scheduler, OUTBOX_JOB)
        kick(c.scheduler, OUTBOX_JOB)  # catch up on whatever fell due while the bot was down
        kick(c.scheduler, VOTES_JOB)  # votes whose deadline passed while the bot was down close now
        kick(c.scheduler, REMINDERS_JOB)  # reminders due while the bot was down: sent if still useful, else dropped
        yield
        c.scheduler.shutdown(wait=False)
    return ctx


def _healthz(c: Container):
    async def healthz(request: web.Request) -> web.Response:
        database = await ping(c.engine)
        body = {"status": "ok" if database else "degraded", "database": "ok" if database else "unreachable",
                "scheduler": describe(c.scheduler), "outbox": await c.outbox.counts() if database else None}
        return web.json_response(body, status=200 if database else 503)
    return healthz


def main() -> None:
    try:
        settings = Settings.from_env(os.environ)
    except SettingsError as error:
        print(f"Rådsbot cannot start: {error}", file=sys.stderr)
        sys.exit(2)
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("msrest.serialization").setLevel(logging.ERROR)  # noisy about unknown Teams fields
    mode = ("anonymous local mode (no Azure): talk to it with the Agents Playground or POST activities"
            if settings.anonymous else f"app id {settings.app_id} ({settings.app_type})")
    db = settings.database_url.split("@")[-1]
    log.info("Rådsbot listening on http://%s:%d/api/messages — %s; database %s; health at /healthz",
             settings.host, settings.port, mode, db)
    web.run_app(create_app(settings), host=settings.host, port=settings.port, print=None)


if __name__ == "__main__":
    main()
