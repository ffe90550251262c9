"""Composition root: create_app(settings) builds everything; main() runs it. Nothing is built at import."""
from __future__ import annotations

import logging
import os
import socket
import sys
import uuid
from dataclasses import dataclass, field

from aiohttp import web
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from botbuilder.core import ConversationState

from bot.adapter import build_adapter
from bot.cases import CasesFeature
from bot.exports import PATH as EXPORT_PATH
from bot.exports import ExportLinks, export_route
from bot.handler import RaadsbotHandler
from bot.notifier import TeamsNotifier
from bot.routes import messages_route
from bot.state_store import DatabaseStorage
from cards.case_messages import CardCaseMessages
from council.clock import Clock, SystemClock
from council.services.activities import ActivityLog
from council.services.cases import CaseService
from council.services.conversations import ConversationService
from council.services.housekeeping import HousekeepingService
from council.services.members import MemberService
from council.services.meetings import MeetingService
from council.services.outbox import OutboxService
from council.settings import Settings, SettingsError, ensure_sqlite_folder
from scheduler import RecurringJob, build_scheduler, describe, kick
from storage.db import make_engine, migrate, ping, sessionmaker
from storage.uow import unit_of_work_factory

log = logging.getLogger("radsbot")
OUTBOX_JOB = "outbox.sweep"


@dataclass
class Container:
    """The built application parts, reachable from tests as app[CONTAINER]."""

    settings: Settings
    clock: Clock
    owner: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}")
    engine: object = None
    uow: object = None
    members: MemberService | None = None
    conversations: ConversationService | None = None
    outbox: OutboxService | None = None
    housekeeping: HousekeepingService | None = None
    meetings: MeetingService | None = None
    cases: CaseService | None = None
    handler: RaadsbotHandler | None = None
    adapter: object = None
    scheduler: object = None


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

    async def export(request: web.Request) -> web.Response:
        return await app[EXPORT](request)

    app.router.add_get(EXPORT_PATH, export)
    return app


def _database(c: Container):
    async def ctx(app: web.Application):
        ensure_sqlite_folder(c.settings.database_url)
        c.engine = make_engine(c.settings.database_url)
        await migrate(c.engine)
        c.uow = unit_of_work_factory(sessionmaker(c.engine))
        yield
        await c.engine.dispose()
    return ctx


def _bot(c: Container):
    async def ctx(app: web.Application):
        s = c.settings
        c.members = MemberService(c.uow, c.clock, s.leaders, s.units)
        c.conversations = ConversationService(c.uow, c.clock)
        c.outbox = OutboxService(c.uow, c.clock, s.limits, c.owner)
        c.housekeeping = HousekeepingService(c.uow, c.clock)
        c.meetings = MeetingService(c.uow, c.clock, s.deadlines, s.tz)
        c.cases = CaseService(c.uow, c.clock, c.meetings, CardCaseMessages(), s.units, s.triage_to_channel)
        c.adapter = build_adapter(s)
        c.outbox.notifier = TeamsNotifier(c.adapter, s.app_id)
        state = ConversationState(DatabaseStorage(c.uow, c.clock))
        links = ExportLinks(s.base_url, s.export_signing_key, clock=lambda: c.clock.now().timestamp())
        app[EXPORT] = export_route(links, c.members, c.cases, s.tz)
        c.handler = RaadsbotHandler(members=c.members, conversations=c.conversations,
                                    activities=ActivityLog(c.uow, c.clock), conversation_state=state,
                                    cases=CasesFeature(c.cases, c.meetings, s.units, s.case_flag_days, links))
        app[MESSAGES] = messages_route(c.adapter, c.handler.on_turn, s.anonymous, s.tenant_allow_list)
        yield
    return ctx


def _scheduler(c: Container):
    async def ctx(app: web.Application):
        if not c.settings.start_scheduler:
            yield
            return
        tz = c.settings.tz
        jobs = [
            RecurringJob(OUTBOX_JOB, c.outbox.deliver_due,
                         IntervalTrigger(seconds=c.settings.outbox_sweep_seconds, timezone=tz), misfire_grace_time=30),
            RecurringJob("housekeeping.prune", c.housekeeping.prune, CronTrigger(hour=6, minute=15, timezone=tz),
                         misfire_grace_time=6 * 3600),
        ]
        c.scheduler = build_scheduler(c.settings.timezone, jobs)
        c.scheduler.start()
        c.cases.wake = lambda: kick(c.scheduler, OUTBOX_JOB)
        kick(c.scheduler, OUTBOX_JOB)  # catch up on whatever fell due while the bot was down
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
