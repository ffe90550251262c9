"""The meeting plan as an iCalendar file, to import into Outlook (times in Europe/Oslo with a VTIMEZONE)."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import icalendar

from council.meetings import Meeting, MeetingStatus


def meetings_ics(meetings: list[Meeting], tz: ZoneInfo) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Sykehuset i Vestfold//Rådsbot//NB")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Kontorfaglig råd – møteplan")
    for meeting in meetings:
        if meeting.status is not MeetingStatus.PLANNED:
            continue
        event = icalendar.Event()
        event.add("uid", f"radsbot-meeting-{meeting.id}@siv.no")
        event.add("summary", "Møte i Kontorfaglig råd")
        event.add("dtstart", datetime.combine(meeting.date, meeting.start, tzinfo=tz))
        event.add("dtend", datetime.combine(meeting.date, meeting.end, tzinfo=tz))
        event.add("dtstamp", datetime.combine(meeting.date, meeting.start, tzinfo=tz))
        if meeting.place:
            event.add("location", meeting.place)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
