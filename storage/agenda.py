"""Agenda items with their minutes record, attendance and action items."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, insert, select, update

from council.agenda import AgendaItem, ItemKind
from council.cases import CaseType
from council.minutes import ActionItem, ActionStatus, Attendance, ItemRecord, Outcome
from storage.tables import action_items, agenda_items, attendance
from storage.upsert import upsert


def _to_item(row) -> AgendaItem:
    return AgendaItem(id=row.id, meeting_id=row.meeting_id, position=row.position, kind=ItemKind(row.kind),
                      title=row.title, case_id=row.case_id, case_type=CaseType(row.case_type) if row.case_type
                      else None, presenter=row.presenter or "", minutes=row.minutes, number=row.number,
                      year=row.year)


def _to_record(row) -> ItemRecord | None:
    if not row.outcome:
        return None
    return ItemRecord(item_id=row.id, outcome=Outcome(row.outcome), text=row.record_text or "",
                      dissent=row.dissent or "", protocol_entries=tuple(row.protocol_entries or ()),
                      discussion=row.discussion or "")


def _to_action(row) -> ActionItem:
    return ActionItem(id=row.id, meeting_id=row.meeting_id, item_id=row.item_id, what=row.what, owner=row.owner,
                      owner_name=row.owner_name, due=row.due, status=ActionStatus(row.status),
                      closed_at=row.closed_at)


class SqlAgenda:
    def __init__(self, session) -> None:
        self._s = session

    async def items(self, meeting_id: int) -> list[AgendaItem]:
        rows = await self._s.execute(select(agenda_items).where(agenda_items.c.meeting_id == meeting_id)
                                     .order_by(agenda_items.c.position, agenda_items.c.id))
        return [_to_item(r) for r in rows]

    async def get(self, item_id: int) -> AgendaItem | None:
        row = (await self._s.execute(select(agenda_items).where(agenda_items.c.id == item_id))).first()
        return _to_item(row) if row else None

    async def by_case(self, case_id: int) -> list[AgendaItem]:
        rows = await self._s.execute(select(agenda_items).where(agenda_items.c.case_id == case_id))
        return [_to_item(r) for r in rows]

    async def add(self, item: AgendaItem) -> AgendaItem:
        result = await self._s.execute(insert(agenda_items).values(
            meeting_id=item.meeting_id, position=item.position, kind=item.kind.value, title=item.title,
            case_id=item.case_id, case_type=item.case_type.value if item.case_type else None,
            presenter=item.presenter, minutes=item.minutes, number=item.number, year=item.year)
            .returning(agenda_items.c.id))
        return await self.get(result.scalar_one())

    async def save(self, item: AgendaItem) -> None:
        await self._s.execute(update(agenda_items).where(agenda_items.c.id == item.id).values(
            meeting_id=item.meeting_id, position=item.position, title=item.title, presenter=item.presenter,
            minutes=item.minutes, number=item.number, year=item.year,
            case_type=item.case_type.value if item.case_type else None))

    async def remove(self, item_id: int) -> None:
        await self._s.execute(delete(agenda_items).where(agenda_items.c.id == item_id))

    async def records(self, meeting_id: int) -> dict[int, ItemRecord]:
        rows = await self._s.execute(select(agenda_items).where(agenda_items.c.meeting_id == meeting_id))
        return {r.id: record for r in rows if (record := _to_record(r))}

    async def save_record(self, record: ItemRecord) -> None:
        await self._s.execute(update(agenda_items).where(agenda_items.c.id == record.item_id).values(
            outcome=record.outcome.value, record_text=record.text, dissent=record.dissent,
            protocol_entries=list(record.protocol_entries), discussion=record.discussion))

    async def attendance(self, meeting_id: int) -> dict[str, tuple[Attendance, str | None]]:
        rows = await self._s.execute(select(attendance).where(attendance.c.meeting_id == meeting_id))
        return {r.member: (Attendance(r.status), r.deputy) for r in rows}

    async def set_attendance(self, meeting_id: int, member: str, status: Attendance, at: datetime,
                             deputy: str | None = None) -> None:
        await upsert(self._s, attendance, {"meeting_id": meeting_id, "member": member, "status": status.value,
                                           "reported_at": at, "deputy": deputy}, ["meeting_id", "member"])

    async def add_action(self, action: ActionItem) -> ActionItem:
        result = await self._s.execute(insert(action_items).values(
            meeting_id=action.meeting_id, item_id=action.item_id, what=action.what, owner=action.owner,
            owner_name=action.owner_name, due=action.due, status=action.status.value).returning(action_items.c.id))
        return await self.action(result.scalar_one())

    async def action(self, action_id: int) -> ActionItem | None:
        row = (await self._s.execute(select(action_items).where(action_items.c.id == action_id))).first()
        return _to_action(row) if row else None

    async def save_action(self, action: ActionItem) -> None:
        await self._s.execute(update(action_items).where(action_items.c.id == action.id).values(
            status=action.status.value, closed_at=action.closed_at, what=action.what, due=action.due))

    async def actions(self, meeting_id: int | None = None, open_only: bool = False) -> list[ActionItem]:
        query = select(action_items).order_by(action_items.c.due, action_items.c.id)
        if meeting_id is not None:
            query = query.where(action_items.c.meeting_id == meeting_id)
        if open_only:
            query = query.where(action_items.c.status != ActionStatus.DONE.value)
        return [_to_action(r) for r in await self._s.execute(query)]
