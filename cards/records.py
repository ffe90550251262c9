"""Presentation of the council's records: attendance per seat and the approval line."""
from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from cards.texts import t
from cards.texts.format import format_date, format_time
from council.meetings import Meeting
from council.records import ApprovalRoute, AttendanceSheet, Seat


def seat_line(seat: Seat, locale: str | None, leader: bool = False) -> str:
    """'Klinikk for kirurgi: Lise Vara (vara for Ola Hansen)', 'Medisinsk klinikk: Forfall', 'Leder: Kari …'."""
    label = t("records.leader_seat", locale) if leader else (seat.seat or t("records.member_seat", locale))
    if seat.absent:
        name = t("records.seat_absent", locale)
    elif seat.deputy:
        name = t("records.deputy_for", locale, name=seat.attended_by, member=seat.holder)
    else:
        name = seat.attended_by
    return t("records.seat_line", locale, seat=label, name=name)


def seat_lines(sheet: AttendanceSheet, locale: str | None) -> list[str]:
    lines = [seat_line(sheet.leader, locale, leader=True)] if sheet.leader else []
    return lines + [seat_line(seat, locale) for seat in sheet.seats]


OSLO = ZoneInfo("Europe/Oslo")


def _local(moment: datetime, tz: ZoneInfo | None) -> datetime:
    """Council time (a naive value counts as UTC, as stored)."""
    return moment.replace(tzinfo=moment.tzinfo or UTC).astimezone(tz or OSLO)


def approval_line(meeting: Meeting, locale: str | None, tz: ZoneInfo | None = None) -> str:
    """«Godkjent i sak 02/27 den 3. februar 2027» or «Godkjent ved sirkulasjon den …»; "" while not approved."""
    if not meeting.minutes_locked or meeting.minutes_approved_at is None:
        return ""
    when = format_date(_local(meeting.minutes_approved_at, tz).date(), locale)
    if meeting.minutes_approved_via == ApprovalRoute.CIRCULATION.value:
        return t("records.approved_circulation", locale, date=when)
    if meeting.minutes_approved_in:
        item = meeting.minutes_approved_in
        return t("records.approved_in", locale, item=item[:1].lower() + item[1:], date=when)
    return t("records.approved_meeting", locale, date=when)


def approval_card_text(meeting: Meeting, locale: str | None, tz: ZoneInfo | None = None) -> str:
    """For the minutes card: how and when (to the minute) the referat was approved."""
    line = approval_line(meeting, locale, tz)
    if not line:
        return ""
    time = format_time(_local(meeting.minutes_approved_at, tz).time(), locale).removeprefix("kl. ")
    return t("records.approved_card", locale, line=line, time=time)
