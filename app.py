"""Composition root: create_app(settings) builds everything; main() runs it. Nothing is built at import."""
from __future__ import annotations

import asyncio
import logging
import os
import sys
from dataclasses import dataclass, field
from datetime import timedelta

from aiohttp import web
from botbuilder.core import ConversationState

from bot.adapter import build_adapter
from bot.auth import BotConnectorTokens, SigningKeys
from bot.benefits import ImplementationFeature
from bot.cases import CasesFeature
from bot.exports import ROUTES as EXPORT_ROUTES
from bot.exports import ExportLinks, LinkSigner, export_handlers
from bot.handler import RaadsbotHandler
from bot.hearings import HearingsFeature
from bot.meetings import MeetingsFeature
from bot.notifier import TeamsNotifier
from bot.records import RecordsFeature
from bot.reminders import RemindersFeature
from bot.routes import messages_route
from bot.state_store import DatabaseStorage
from bot.themes import ThemesFeature
from bot.undelivered import UndeliveredFeature
from bot.votes import VotesFeature
from calendars.graph import GraphCalendarWriter, GraphSource
from calendars.ics import IcsSource
from cards.case_messages import CardCaseMessages
from cards.documents import CardRecordRenderer
from cards.meeting_messages import CardMeetingMessages, standing_titles
from cards.pask_messages import CardPaskMessages
from cards.reminders import CardReminderMessages
from cards.texts import t
from cards.themes import CardThemeMessages
from cards.vote_messages import CardVoteMessages
from config import SettingsError, settings_from_env
from council.clock import Clock, SystemClock
from council.hearings import HearingRules
from council.outbox import SharedWindow, Status
from council.owners import owner_alive, process_owner
from council.pask import PaskFilter
from council.services.activities import ActivityLog
from council.services.agenda import AgendaService
from council.services.benefits import BenefitService
from council.services.cases import CaseService
from council.services.conversations import ConversationService
from council.services.guests import GuestService
from council.services.hearings import HearingService
from council.services.hearings_letter import HearingLetterService
from council.services.housekeeping import HousekeepingService
from council.services.meetings import MeetingService
from council.services.members import MemberService
from council.services.minutes import MinutesService
from council.services.outbox import OutboxService
from council.services.pask import PaskService
from council.services.records import RecordService
from council.services.registers import RegisterService
from council.services.reminders import ReminderService
from council.services.seats import SeatService
from council.services.themes import ThemeService
from council.services.undelivered import UndeliveredService
from council.services.votes import VoteService
from council.settings import Settings
from scheduler import build_scheduler, describe, kick
from scheduler.jobs import CALENDAR_JOB, OUTBOX_JOB, REMINDERS_JOB, VOTES_JOB, bind, catch_up
from storage.db import ensure_sqlite_folder, make_engine, migrate, ping
from storage.pacing import shared_budget
from storage.uow import unit_of_work_factory
from web.routes import TAB
from web.routes import mount as mount_tab
from web.tab import build_tab

log = logging.getLogger("radsbot")


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
    records: RecordService | None = None
    letters: HearingLetterService | None = None
    pask: PaskService | None = None
    hearings: HearingService | None = None
    votes: VoteService | None = None
    themes: ThemeService | None = None
    reminders: ReminderService | None = None
    benefits: BenefitService | None = None
    undelivered: UndeliveredService | None = None
    calendar_writer: GraphCalendarWriter | None = None
    handler: RaadsbotHandler | None = None
    adapter: object = None
    tokens: BotConnectorTokens | None = None
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
    app.on_shutdown.append(_stop_token_checks(container))
    app.on_shutdown.append(_let_running_jobs_finish)  # on_shutdown runs before cleanup_ctx closes anything

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
        budget = shared_budget(c.engine, f"teams-app:{s.app_id or 'local'}",
                               SharedWindow.for_rate(s.limits.per_app_per_second))
        c.outbox = OutboxService(c.uow, c.clock, s.limits, c.owner, linger=s.outbox_linger_seconds,
                                 owner_alive=owner_alive, budget=budget)
        c.housekeeping = HousekeepingService(c.uow, c.clock)
        signer = LinkSigner(s.base_url, s.export_signing_key, clock=lambda: c.clock.now().timestamp())
        links = ExportLinks(signer)
        meeting_messages = CardMeetingMessages(s.deadlines, links.document)
        case_messages = CardCaseMessages()
        c.meetings = MeetingService(c.uow, c.clock, s.deadlines, s.tz, s.plan, meeting_messages, standing_titles())
        c.cases = CaseService(c.uow, c.clock, c.meetings, case_messages, s.units, s.triage_to_channel, s.topics)
        c.agenda = AgendaService(c.uow, c.clock, c.meetings, meeting_messages, s.tz, s.number_format)
        c.minutes = MinutesService(c.uow, c.clock, c.agenda, meeting_messages, case_messages, c.meetings.today,
                                   votes_between=lambda first, last: c.votes.closed_between(first, last),
                                   renderer=CardRecordRenderer(s.tz))
        c.records = RecordService(c.uow, c.clock, c.agenda, s.plan, copy_network=s.notice_copy_network)
        c.letters = HearingLetterService(c.uow, c.clock, s.tz, t("app.name"), s.number_format)
        c.pask = PaskService(c.uow, c.clock, _pask_sources(s), s.tz, CardPaskMessages())
        c.hearings = HearingService(c.uow, c.clock, s.tz, HearingRules(internal_working_days_before=
                                                                        s.hearing_internal_days), s.plan)
        c.themes = ThemeService(c.uow, c.clock, s.tz, s.plan, CardThemeMessages())
        c.votes = VoteService(c.uow, c.clock, CardVoteMessages(s.tz), s.ballot_key.encode(), s.tz,
                              directory=c.members.directory)
        c.undelivered = UndeliveredService(c.uow, c.clock)
        c.benefits = BenefitService(c.uow, c.clock, s.tz, s.units, c.members.directory)
        c.reminders = ReminderService(c.uow, c.clock, s.tz, CardReminderMessages(s.tz), votes=c.votes,
                                      deadlines=s.deadlines, plan_rules=s.plan)
        c.calendar_writer = _calendar_writer(s)
        c.adapter = build_adapter(s)
        c.tokens = None if s.anonymous else BotConnectorTokens(s.app_id, SigningKeys(s.openid_metadata_url))
        c.outbox.notifier = TeamsNotifier(c.adapter, s.app_id)
        state = ConversationState(DatabaseStorage(c.uow, c.clock))
        app[EXPORT] = export_handlers(signer, members=c.members, cases=c.cases, meetings=c.meetings,
                                      agenda=c.agenda, minutes=c.minutes, votes=c.votes, tz=s.tz,
                                      records=c.records, letters=c.letters,
                                      archive_codes=(s.archive_access_code, s.archive_legal_basis),
                                      audience=s.agenda_audience)
        app[TAB] = build_tab(s, c.members, RegisterService(c.uow, c.members.directory, c.clock, s.tz, s.units),
                             SeatService(c.uow, c.clock, s.tz, c.members), GuestService(c.uow, c.clock, s.tz),
                             links.document, benefits=c.benefits)
        c.handler = RaadsbotHandler(
            members=c.members, conversations=c.conversations,
            activities=ActivityLog(c.uow, c.clock, c.owner, owner_alive),
            conversation_state=state, cases=CasesFeature(c.cases, c.meetings, s.units, s.case_flag_days, links),
            meetings=MeetingsFeature(c.meetings, c.agenda, c.minutes, c.members, c.pask, links, c.records,
                                     s.agenda_audience),
            hearings=HearingsFeature(c.hearings, c.meetings, c.members,
                                     ImplementationFeature(c.benefits, s.number_format)),
            records=RecordsFeature(c.letters, c.hearings, links),
            votes=VotesFeature(c.hearings, c.votes, c.meetings, links, s.tz),
            themes=ThemesFeature(c.themes),
            reminders=RemindersFeature(c.reminders, UndeliveredFeature(c.undelivered, s.tz)),
            agenda_audience=s.agenda_audience, tab_url=f"{s.base_url}/tab/")
        app[MESSAGES] = messages_route(c.adapter, c.handler.on_turn, c.tokens, s.tenant_allow_list)
        yield
        if c.tokens is not None:
            await c.tokens.close()
        if budget is not None:
            await budget.close()
        await c.pask.close()
        if c.calendar_writer is not None:
            await c.calendar_writer.aclose()
    return ctx


def _stop_token_checks(c: Container):
    """On shutdown, before aiohttp waits for open requests: token checks waiting for keys answer 503 now."""
    async def stop(app: web.Application) -> None:
        if c.tokens is not None:
            await c.tokens.close()
    return stop


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
    """The job table is scheduler/jobs.py; here each job id gets what it runs."""
    async def ctx(app: web.Application):
        if not c.settings.start_scheduler:
            yield
            return
        funcs = {OUTBOX_JOB: c.sweep_outbox, "housekeeping.prune": c.housekeeping.prune,
                 "meetings.sweep": lambda: _meetings_sweep(c), "pask.sync": c.pask.sync,
                 VOTES_JOB: lambda: _votes_sweep(c), REMINDERS_JOB: c.reminders.sweep,
                 "themes.remind": c.themes.remind_non_responders}
        if c.calendar_writer is not None:  # meetings whose Outlook event is missing or stale
            funcs[CALENDAR_JOB] = lambda: c.meetings.sync_calendar(c.calendar_writer)
        jobs = bind(c.settings.tz, funcs,
                    intervals={OUTBOX_JOB: timedelta(seconds=c.settings.outbox_sweep_seconds)})
        c.scheduler = build_scheduler(c.settings.timezone, jobs)
        c.scheduler.start()
        for service in (c.cases, c.meetings, c.agenda, c.minutes, c.votes, c.themes, c.reminders, c.undelivered):
            service.wake = lambda: kick(c.scheduler, OUTBOX_JOB)
        catch_up(c.scheduler, c.clock.now(), c.settings.tz)  # whatever fell due while the bot was down
        yield
        c.scheduler.shutdown(wait=False)
    return ctx


def _healthz(c: Container):
    async def healthz(request: web.Request) -> web.Response:
        database = await ping(c.engine)
        counts = await c.outbox.counts() if database else None
        body = {"status": "ok" if database else "degraded", "database": "ok" if database else "unreachable",
                "scheduler": describe(c.scheduler), "outbox": counts, "warnings": _warnings(counts or {})}
        return web.json_response(body, status=200 if database else 503)
    return healthz


def _warnings(outbox_counts: dict[str, int]) -> list[dict]:
    """Things an operator should look at that do not make the bot unhealthy (the status stays 200)."""
    uncertain = outbox_counts.get(Status.UNCERTAIN.value, 0)
    if not uncertain:
        return []
    return [{"code": "outbox_uncertain", "count": uncertain,
             "message": f"{uncertain} message(s) were in flight when a process stopped and may not have been "
                        "delivered; they are not resent automatically. A leader can resend or dismiss them with "
                        "the command 'usendte meldinger'."}]


JOB_DRAIN_SECONDS = 10.0


async def _let_running_jobs_finish(app: web.Application) -> None:
    """On stop, jobs in the middle of a sweep finish (within a bound) before the scheduler and the database close.
    APScheduler 3 cancels running coroutine jobs when it shuts down — a traceback per job in the log and a sweep
    cut short — and offers no public way to wait for them, hence its executors' pending futures."""
    scheduler = app[CONTAINER].scheduler
    if scheduler is None or not scheduler.running:
        return
    scheduler.pause()
    running = [f for executor in getattr(scheduler, "_executors", {}).values()
               for f in getattr(executor, "_pending_futures", ()) if not f.done()]
    if running:
        await asyncio.wait(running, timeout=JOB_DRAIN_SECONDS)


def main() -> None:
    try:
        settings = settings_from_env(os.environ)
    except SettingsError as error:
        sys.stderr.write(f"Rådsbot cannot start: {error}\n")
        sys.exit(2)
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("msrest.serialization").setLevel(logging.ERROR)  # noisy about unknown Teams fields
    mode = ("anonymous local mode (no Azure): talk to it with the Agents Playground or POST activities"
            if settings.anonymous else f"app id {settings.app_id} ({settings.app_type})")
    db = settings.database_url.split("@")[-1]

    def ready(_banner: str) -> None:
        """run_app calls this once the app has started (migrations run, scheduler started) and the port is bound."""
        log.info("Rådsbot listening on http://%s:%d/api/messages — %s; database %s; health at /healthz",
                 settings.host, settings.port, mode, db)

    web.run_app(create_app(settings), host=settings.host, port=settings.port, print=ready)
    log.info("Rådsbot stopped: requests finished, scheduler stopped, database closed")


if __name__ == "__main__":
    main()
