"""Guests use cases: the leader keeps the guest list; the leader or the secretary invites a guest to an agenda
item of an upcoming meeting, and the notice names them under the item.

Guests live in their own table, never in the member table: they hold no role, so no role check lets them in,
and no vote counts them (council/votes.py `entitled_snapshot` takes MEMBER role holders only)."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, tzinfo

from council.audit import AuditEntry
from council.clock import Clock
from council.errors import InvalidInput, NotAllowed, NotFound
from council.guests import Guest, checked_guest
from council.ids import stored_id
from council.meetings import MeetingStatus
from council.members import Member, require_organiser
from council.registers import require_register_access
from council.services.meetings import load_meeting
from council.services.ports import UnitOfWork, UnitOfWorkFactory

MAX_GUESTS = 500


class GuestService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, tz: tzinfo) -> None:
        self._uow = uow
        self._clock = clock
        self._tz = tz

    def today(self) -> date:
        return self._clock.now().astimezone(self._tz).date()

    async def guests(self, actor: Member) -> list[Guest]:
        """The guest list, by name: the council reads it, the leader edits it."""
        require_register_access(actor)
        async with self._uow() as uow:
            return _by_name(await uow.guests.all())

    async def add(self, actor: Member, name: str, organisation: str, email: str) -> Guest:
        _require_leader(actor)
        guest = checked_guest(None, name, organisation, email)
        async with self._uow() as uow:
            if len(await uow.guests.all()) >= MAX_GUESTS:
                raise InvalidInput("guests.too_many", limit=MAX_GUESTS)
            now = self._clock.now()
            stored = await uow.guests.add(guest, actor.aad_object_id, now)
            await uow.audit.add(AuditEntry(actor.aad_object_id, "guest", str(stored_id(stored.id)), "add_guest", now,
                                           None, stored.snapshot()))
            await uow.commit()
        return stored

    async def edit(self, actor: Member, guest_id: int, name: str, organisation: str, email: str) -> Guest:
        _require_leader(actor)
        guest = checked_guest(guest_id, name, organisation, email)
        async with self._uow() as uow:
            before = await _guest(uow, guest_id)
            if before != guest:
                now = self._clock.now()
                await uow.guests.save(guest, actor.aad_object_id, now)
                await uow.audit.add(AuditEntry(actor.aad_object_id, "guest", str(guest_id), "edit_guest", now,
                                               before.snapshot(), guest.snapshot()))
                await uow.commit()
        return guest

    async def remove(self, actor: Member, guest_id: int) -> Guest:
        """The guest and their invitations go (the audit trail keeps what they were)."""
        _require_leader(actor)
        async with self._uow() as uow:
            guest = await _guest(uow, guest_id)
            now = self._clock.now()
            await uow.guests.remove(guest_id)
            await uow.audit.add(AuditEntry(actor.aad_object_id, "guest", str(guest_id), "remove_guest", now,
                                           guest.snapshot(), None))
            await uow.commit()
        return guest

    async def invite(self, actor: Member, item_id: int, guest_id: int) -> Guest:
        """Leader or secretary; only to an item of a planned meeting that has not been held. A published
        notice is marked changed, so the organisers are offered to send the change."""
        return await self._invitation(actor, item_id, guest_id, invite=True)

    async def uninvite(self, actor: Member, item_id: int, guest_id: int) -> Guest:
        return await self._invitation(actor, item_id, guest_id, invite=False)

    async def _invitation(self, actor: Member, item_id: int, guest_id: int, *, invite: bool) -> Guest:
        require_organiser(actor)
        async with self._uow() as uow:
            item = await uow.agenda.get(item_id)
            if item is None:
                raise NotFound("agenda.item_not_found")
            meeting = await load_meeting(uow, item.meeting_id)
            if meeting.status is not MeetingStatus.PLANNED or meeting.date < self.today():
                raise InvalidInput("guests.meeting_not_upcoming")
            guest = await _guest(uow, guest_id)
            now = self._clock.now()
            changed = (await uow.guests.invite(item_id, guest_id, actor.aad_object_id, now) if invite
                       else await uow.guests.uninvite(item_id, guest_id))
            if changed:
                if meeting.notice_published and meeting.notice_changed_at is None:
                    await uow.meetings.save(replace(meeting, notice_changed_at=now))
                detail = {"item": item_id, "title": item.title, "guest": guest_id, "name": guest.name}
                await uow.audit.add(AuditEntry(actor.aad_object_id, "meeting", str(meeting.id),
                                               "invite_guest" if invite else "uninvite_guest", now,
                                               None if invite else detail, detail if invite else None))
                await uow.commit()
        return guest


def _require_leader(actor: Member) -> None:
    if not actor.is_leader:
        raise NotAllowed("error.leader_only")


async def _guest(uow: UnitOfWork, guest_id: int) -> Guest:
    guest = await uow.guests.get(guest_id)
    if guest is None:
        raise NotFound("guests.not_found")
    return guest


def _by_name(guests: list[Guest]) -> list[Guest]:
    return sorted(guests, key=lambda g: (g.name.casefold(), g.id or 0))
