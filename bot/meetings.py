"""Meetings in Teams: møteplan, saksliste, innkalling, forfall, referat, oppfølgingsliste, PASK sync."""
from __future__ import annotations

from datetime import time

from bot.actions import ActionContext, ActionRegistry, rerender
from bot.inputs import id_input, one_of, optional_date, required_date, text_of, time_or
from bot.turns import card_command
from cards import actions as verbs
from cards.case_papers import paper_card
from cards.common import message_card
from cards.meetings import agenda_card, follow_up_card, meetings_card, minutes_card, plan_card
from cards.pask_messages import pask_card, sync_summary
from cards.texts import t
from council.audience import DEFAULT_AUDIENCE, Audience
from council.errors import InvalidInput, NotAllowed
from council.members import Member, require_organiser
from council.minutes import ActionStatus, Outcome
from council.services.agenda import AgendaService
from council.services.meetings import MeetingService
from council.services.members import MemberService
from council.services.minutes import MinutesService
from council.services.pask import PaskService
from council.services.records import RecordService

END = time(11, 0)  # a meeting's default end when the form leaves it empty


class MeetingsFeature:
    def __init__(self, meetings: MeetingService, agenda: AgendaService, minutes: MinutesService,
                 members: MemberService, pask: PaskService, links, records: RecordService | None = None,
                 audience: Audience | None = None) -> None:
        self._records = records  # saksframlegg per agenda item
        self._meetings = meetings
        self._audience = audience or Audience.parse(DEFAULT_AUDIENCE)  # who may read agendas (AGENDA_AUDIENCE)
        self._agenda = agenda
        self._minutes = minutes
        self._members = members
        self._pask = pask
        self._links = links  # DocumentLinks: signed download URLs for PDFs, Markdown and the .ics plan

    def register(self, actions: ActionRegistry) -> None:
        for verb, handler in (
                (verbs.MEETING_LIST, self.list_action), (verbs.MEETING_PLAN, self.plan),
                (verbs.MEETING_PLAN_SAVE, self.plan_save), (verbs.MEETING_ADD, self.add),
                (verbs.MEETING_MOVE, self.move), (verbs.MEETING_CANCEL, self.cancel),
                (verbs.AGENDA_SHOW, self.agenda_show), (verbs.AGENDA_MOVE, self.agenda_move),
                (verbs.AGENDA_SET, self.agenda_set), (verbs.AGENDA_TO_MEETING, self.agenda_to_meeting),
                (verbs.AGENDA_PAPER, self.agenda_paper), (verbs.AGENDA_PAPER_SHOW, self.agenda_paper_show),
                (verbs.AGENDA_ADD_STANDING, self.agenda_add_standing), (verbs.NOTICE_PUBLISH, self.notice_publish),
                (verbs.ATTENDANCE_ABSENT, self.absent), (verbs.ATTENDANCE_PRESENT, self.present),
                (verbs.MINUTES_SHOW, self.minutes_show), (verbs.MINUTES_RECORD, self.minutes_record),
                (verbs.MINUTES_ACTION, self.minutes_action), (verbs.MINUTES_ATTENDANCE, self.minutes_attendance),
                (verbs.MINUTES_PUBLISH, self.minutes_publish), (verbs.MINUTES_APPROVE, self.minutes_approve),
                (verbs.FOLLOWUP_SHOW, self.follow_up_action), (verbs.FOLLOWUP_STATUS, self.follow_up_status),
                (verbs.PASK_SYNC, self.pask_action)):
            actions.register(verb, handler)

    def commands(self) -> dict:
        return {"møteplan": card_command(self.meetings_view), "moteplan": card_command(self.meetings_view),
                "nytt møte": card_command(self.meetings_view), "saksliste": card_command(self.next_agenda),
                "innkalling": card_command(self.next_agenda), "referat": card_command(self.latest_minutes),
                "oppfølgingsliste": card_command(self.follow_up_read),
                "oppfølging": card_command(self.follow_up_read), "hent pask": card_command(self.pask_view),
                "synk pask": card_command(self.pask_view)}  # "synk pask": the old command, kept as an alias

    # --- the plan -------------------------------------------------------------------------------
    async def meetings_view(self, actor: Member, locale: str | None, **extra) -> dict:
        return meetings_card(await self._meetings.upcoming(), self._meetings.rules, locale, actor.is_organiser,
                             ics_url=self._links.plan_ics(), this_year=self._meetings.today().year, **extra)

    async def list_action(self, ctx: ActionContext) -> dict:
        return await self.meetings_view(ctx.actor, ctx.locale)

    async def plan(self, ctx: ActionContext) -> dict:
        year = ctx.payload.year
        return plan_card(year, await self._meetings.propose(ctx.actor, year), self._meetings.rules, ctx.locale)

    async def plan_save(self, ctx: ActionContext) -> dict:
        data, start = ctx.data, self._meetings.plan_rules.start
        chosen = [(required_date(data.get(f"date_{i}")), time_or(data.get(f"start_{i}"), start),
                   time_or(data.get(f"end_{i}"), END))
                  for i in range(ctx.payload.count) if str(data.get(f"include_{i}", "true")).lower() != "false"]

        async def show(created, **extra) -> dict:
            if created is None:
                year = ctx.payload.year
                return plan_card(year, await self._meetings.propose(ctx.actor, year), self._meetings.rules,
                                 ctx.locale, **extra)
            return await self.meetings_view(ctx.actor, ctx.locale, message=t(
                "meetings.plan_saved", ctx.locale, count=len(created)))
        return await rerender(ctx, lambda: self._meetings.accept_plan(ctx.actor, chosen, text_of(data, "place")),
                              show, "meetings.plan_saved")

    async def add(self, ctx: ActionContext) -> dict:
        data = ctx.data
        return await rerender(ctx, lambda: self._meetings.add_meeting(
            ctx.actor, required_date(data.get("date")), time_or(data.get("start"), self._meetings.plan_rules.start),
            time_or(data.get("end"), END), str(data.get("place") or "")),
            lambda _, **extra: self.meetings_view(ctx.actor, ctx.locale, **extra), "meetings.added")

    async def move(self, ctx: ActionContext) -> dict:
        meeting_id, data = ctx.payload.meeting_id, ctx.data
        current = await self._meetings.get(meeting_id)
        return await rerender(ctx, lambda: self._meetings.move_meeting(
            ctx.actor, meeting_id, optional_date(data.get(f"date_{meeting_id}")) or current.date,
            time_or(data.get(f"start_{meeting_id}"), current.start),
            time_or(data.get(f"end_{meeting_id}"), current.end), data.get(f"place_{meeting_id}")),
            lambda _, **extra: self.meetings_view(ctx.actor, ctx.locale, **extra), "meetings.moved")

    async def cancel(self, ctx: ActionContext) -> dict:
        return await rerender(ctx, lambda: self._meetings.cancel_meeting(ctx.actor, ctx.payload.meeting_id),
                              lambda _, **extra: self.meetings_view(ctx.actor, ctx.locale, **extra),
                              "meetings.cancelled")

    # --- agenda and notice ----------------------------------------------------------------------
    async def agenda_view(self, actor: Member, locale: str | None, meeting_id: int, **extra) -> dict:
        self._may_read_agenda(actor)
        view = await self._agenda.view(meeting_id)
        others = [m for m in await self._meetings.upcoming() if m.id != meeting_id]
        return agenda_card(view, others, self._meetings.rules, locale, actor.is_organiser,
                           pdf_url=self._links.document("notice.pdf", meeting_id, actor.aad_object_id),
                           docx_url=self._links.document("notice.docx", meeting_id, actor.aad_object_id), **extra)

    def _may_read_agenda(self, actor: Member) -> None:
        if not self._audience.admits(actor):
            raise NotAllowed("agenda.audience_only")

    async def next_agenda(self, actor: Member, locale: str | None) -> dict:
        self._may_read_agenda(actor)  # also when there is no meeting: the answer would tell the audience nothing
        upcoming = await self._meetings.upcoming()
        if not upcoming:
            return message_card(t("meetings.none_title", locale), t("meetings.none", locale))
        return await self.agenda_view(actor, locale, upcoming[0].id)

    async def agenda_show(self, ctx: ActionContext) -> dict:
        """A meeting's agenda; without one (the home card), the next meeting's."""
        if ctx.payload.meeting_id is None:
            return await self.next_agenda(ctx.actor, ctx.locale)
        return await self.agenda_view(ctx.actor, ctx.locale, ctx.payload.meeting_id)

    async def _agenda_change(self, ctx: ActionContext, change) -> dict:
        async def show(view, **extra) -> dict:
            meeting_id = view.meeting.id if view is not None else await self._item_meeting(ctx)
            return await self.agenda_view(ctx.actor, ctx.locale, meeting_id, **extra)
        return await rerender(ctx, change, show, "agenda.saved")

    async def _item_meeting(self, ctx: ActionContext) -> int:
        if hasattr(ctx.payload, "meeting_id"):
            return ctx.payload.meeting_id
        return (await self._agenda.item(ctx.payload.item_id)).meeting_id

    async def agenda_move(self, ctx: ActionContext) -> dict:
        item_id, steps = ctx.payload.item_id, ctx.payload.offset
        return await self._agenda_change(ctx, lambda: self._agenda.move_item(ctx.actor, item_id, steps))

    async def agenda_set(self, ctx: ActionContext) -> dict:
        item_id = ctx.payload.item_id
        raw = text_of(ctx.data, f"minutes_{item_id}")
        if raw and not raw.isdigit():
            raise InvalidInput("agenda.minutes_invalid")
        return await self._agenda_change(ctx, lambda: self._agenda.set_item(
            ctx.actor, item_id, str(ctx.data.get(f"presenter_{item_id}") or ""), int(raw) if raw else None))

    async def agenda_paper_show(self, ctx: ActionContext) -> dict:
        require_organiser(ctx.actor)
        item = await self._agenda.item(ctx.payload.item_id)
        return paper_card(await self._agenda.view(item.meeting_id), item, ctx.locale)

    async def agenda_paper(self, ctx: ActionContext) -> dict:
        item_id = ctx.payload.item_id

        async def change():
            return (await self._records.set_paper(ctx.actor, item_id, str(ctx.data.get(f"background_{item_id}") or ""),
                                                  str(ctx.data.get(f"proposal_{item_id}") or ""))).agenda
        return await self._agenda_change(ctx, change)

    async def agenda_to_meeting(self, ctx: ActionContext) -> dict:
        item_id = ctx.payload.item_id
        target = id_input(ctx.data, f"target_{item_id}")
        return await self._agenda_change(ctx, lambda: self._agenda.move_to_meeting(ctx.actor, item_id, target))

    async def agenda_add_standing(self, ctx: ActionContext) -> dict:
        return await self._agenda_change(ctx, lambda: self._agenda.add_standing(
            ctx.actor, ctx.payload.meeting_id, str(ctx.data.get("standing_title") or "")))

    async def notice_publish(self, ctx: ActionContext) -> dict:
        return await self._agenda_change(ctx, lambda: self._agenda.publish_notice(ctx.actor, ctx.payload.meeting_id))

    async def absent(self, ctx: ActionContext) -> dict:
        meeting_id = ctx.payload.meeting_id
        deputy = await self._agenda.report_absence(ctx.actor, meeting_id)
        key = "attendance.absent_deputy" if deputy else "attendance.absent"
        return await self.agenda_view(ctx.actor, ctx.locale, meeting_id, message=t(
            key, ctx.locale, deputy=deputy.name if deputy else ""))

    async def present(self, ctx: ActionContext) -> dict:
        meeting_id = ctx.payload.meeting_id
        await self._agenda.report_present(ctx.actor, meeting_id)
        return await self.agenda_view(ctx.actor, ctx.locale, meeting_id, message=t("attendance.present", ctx.locale))

    # --- minutes --------------------------------------------------------------------------------
    async def minutes_view(self, actor: Member, locale: str | None, meeting_id: int, **extra) -> dict:
        if not actor.is_organiser:
            raise NotAllowed("error.organiser_only")
        return minutes_card(await self._minutes.view(meeting_id), await self._members.members(), locale,
                            pdf_url=self._links.document("minutes.pdf", meeting_id, actor.aad_object_id),
                            can_approve=actor.is_leader,
                            docx_url=self._links.document("minutes.docx", meeting_id, actor.aad_object_id),
                            archive_url=self._links.document("arkiv.zip", meeting_id, actor.aad_object_id),
                            **extra)

    async def latest_minutes(self, actor: Member, locale: str | None) -> dict:
        meeting = await self._meetings.latest_held()
        if meeting is None:
            return message_card(t("meetings.none_title", locale), t("minutes.no_meeting", locale))
        return await self.minutes_view(actor, locale, meeting.id)

    async def minutes_show(self, ctx: ActionContext) -> dict:
        """A meeting's minutes; without one (the home card), the latest held meeting's."""
        if ctx.payload.meeting_id is None:
            return await self.latest_minutes(ctx.actor, ctx.locale)
        return await self.minutes_view(ctx.actor, ctx.locale, ctx.payload.meeting_id)

    async def _minutes_change(self, ctx: ActionContext, meeting_id: int, change) -> dict:
        """The secretary gets the form back with the outcome, its warnings or the error."""
        async def show(outcome, **extra) -> dict:
            warnings = tuple(outcome) if isinstance(outcome, list) else ()
            return await self.minutes_view(ctx.actor, ctx.locale, meeting_id, warnings=warnings, **extra)
        return await rerender(ctx, change, show, "minutes.saved")

    async def minutes_record(self, ctx: ActionContext) -> dict:
        item_id, data = ctx.payload.item_id, ctx.data
        item = await self._agenda.item(item_id)
        outcome = one_of(Outcome, data.get(f"outcome_{item_id}"), "minutes.outcome_required")
        protocol = tuple(str(data.get(f"protocol_{item_id}") or "").splitlines())
        return await self._minutes_change(ctx, item.meeting_id, lambda: self._minutes.record_item(
            ctx.actor, item_id, outcome, str(data.get(f"text_{item_id}") or ""),
            str(data.get(f"dissent_{item_id}") or ""), protocol,
            None if f"discussion_{item_id}" not in data else str(data.get(f"discussion_{item_id}") or ""),
            to_dlg=str(data.get(f"dlg_{item_id}") or "").lower() == "true"))

    async def minutes_action(self, ctx: ActionContext) -> dict:
        item_id, data = ctx.payload.item_id, ctx.data
        item = await self._agenda.item(item_id)
        return await self._minutes_change(ctx, item.meeting_id, lambda: self._minutes.add_action(
            ctx.actor, item_id, str(data.get(f"what_{item_id}") or ""), str(data.get(f"owner_{item_id}") or ""),
            required_date(data.get(f"due_{item_id}"))))

    async def minutes_attendance(self, ctx: ActionContext) -> dict:
        meeting_id = ctx.payload.meeting_id
        present = {p.strip() for p in str(ctx.data.get("present") or "").split(",") if p.strip()}
        council = {m.aad_object_id for m in await self._members.members() if m.roles}
        optional = lambda key: None if key not in ctx.data else str(ctx.data.get(key) or "")  # noqa: E731
        return await self._minutes_change(ctx, meeting_id, lambda: self._minutes.set_attendance(
            ctx.actor, meeting_id, present, council - present, chair=optional("chair"),
            minute_taker=optional("minute_taker"), guests=optional("guests")))

    async def minutes_publish(self, ctx: ActionContext) -> dict:
        meeting_id = ctx.payload.meeting_id
        return await self._minutes_change(ctx, meeting_id, lambda: self._minutes.publish_draft(ctx.actor, meeting_id))

    async def minutes_approve(self, ctx: ActionContext) -> dict:
        meeting_id = ctx.payload.meeting_id
        return await self._minutes_change(ctx, meeting_id, lambda: self._minutes.approve(ctx.actor, meeting_id))

    # --- follow-up and PASK ---------------------------------------------------------------------
    async def follow_up_view(self, actor: Member, locale: str | None, **extra) -> dict:
        return follow_up_card(await self._minutes.follow_up(), self._meetings.today(), locale, actor, **extra)

    async def follow_up_read(self, actor: Member, locale: str | None) -> dict:
        """The follow-up list names what the council decided: the agenda's audience reads it."""
        self._may_read_agenda(actor)
        return await self.follow_up_view(actor, locale)

    async def follow_up_action(self, ctx: ActionContext) -> dict:
        return await self.follow_up_read(ctx.actor, ctx.locale)

    async def follow_up_status(self, ctx: ActionContext) -> dict:
        action_id = ctx.payload.action_id
        status = one_of(ActionStatus, ctx.data.get(f"status_{action_id}"))
        await self._minutes.update_action(ctx.actor, action_id, status)
        return await self.follow_up_view(ctx.actor, ctx.locale, message=t("followup.saved", ctx.locale))

    async def pask_view(self, actor: Member, locale: str | None, message: str | None = None) -> dict:
        if not actor.is_organiser:
            raise NotAllowed("error.organiser_only")
        if message is None and self._pask.configured:
            results = await self._pask.sync()
            message = t("pask.synced", locale, summary=sync_summary(results, locale))
        return pask_card(await self._pask.status(), self._pask.configured, locale, message)

    async def pask_action(self, ctx: ActionContext) -> dict:
        if "pask_dates" in ctx.data:
            count = await self._pask.set_manual(ctx.actor, str(ctx.data.get("pask_dates") or ""))
            return await self.pask_view(ctx.actor, ctx.locale, t("pask.manual_saved", ctx.locale, count=count))
        return await self.pask_view(ctx.actor, ctx.locale)
