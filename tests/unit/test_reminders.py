"""Reminder rules: due times in local time across the DST weekends and Easter, quiet hours, settings, the
'still useful' checks, the digest, and the cards and texts."""
from __future__ import annotations

import string
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from cards.actions import REMINDERS_SAVE
from cards.reminders import CardReminderMessages, reminder_settings_card, settings_changes
from cards.texts import CATALOGUES, en_reminders, nb_reminders
from cards.texts import t as rt
from council.cases import Case, CaseStatus, CaseType
from council.errors import InvalidInput
from council.meetings import DeadlineRules, Meeting, MeetingStatus
from council.minutes import ActionItem, ActionStatus
from council.planning import PlanRules, WorkingCalendar
from council.reminders import (
    DEFAULTS,
    ReminderSettings,
    Rule,
    RuleSettings,
    action_reminder_useful,
    build_digest,
    case_reminder_useful,
    meeting_reminder_useful,
    must_report_attendance,
    not_quiet,
    plan_action,
    plan_case,
    plan_digest,
    plan_meeting,
    send_instant,
)

OSLO = ZoneInfo("Europe/Oslo")
CAL = WorkingCalendar(range(2025, 2028), PlanRules())
RULES = DeadlineRules()


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def by_rule(planned, rule, variant=""):
    return [p for p in planned if p.rule is rule and variant in p.delivery_key]


# --- local time, DST and quiet hours -------------------------------------------------------------------------------


@pytest.mark.parametrize("day, expected", [
    (date(2026, 3, 27), utc(2026, 3, 27, 8, 0)),  # Friday before the spring change: CET, +01:00
    (date(2026, 3, 30), utc(2026, 3, 30, 7, 0)),  # Monday after: CEST, +02:00
    (date(2026, 10, 23), utc(2026, 10, 23, 7, 0)),  # Friday before the autumn change: CEST
    (date(2026, 10, 26), utc(2026, 10, 26, 8, 0)),  # Monday after: CET
])
def test_nine_oclock_local_has_the_right_utc_instant_around_the_dst_weekends(day, expected):
    assert send_instant(day, time(9, 0), OSLO) == expected


@pytest.mark.parametrize("day, expected", [
    (date(2026, 3, 29), utc(2026, 3, 29, 6, 0)),  # 02:30 does not exist that night; 08:00 CEST
    (date(2026, 10, 25), utc(2026, 10, 25, 7, 0)),  # 02:30 happens twice that night; 08:00 CET
    (date(2026, 6, 10), utc(2026, 6, 10, 6, 0)),
])
def test_a_computed_time_in_the_quiet_hours_moves_to_eight_the_same_day(day, expected):
    assert send_instant(day, time(2, 30), OSLO) == expected
    assert send_instant(day, time(1, 0), OSLO) == expected
    assert send_instant(day, time(3, 59), OSLO) == expected


def test_an_instant_in_the_quiet_hours_moves_to_eight_and_others_stay():
    assert not_quiet(utc(2026, 10, 25, 0, 30), OSLO) == utc(2026, 10, 25, 7, 0)  # 02:30 CEST, the first one
    assert not_quiet(utc(2026, 10, 25, 1, 30), OSLO) == utc(2026, 10, 25, 7, 0)  # 02:30 CET, the repeat
    assert not_quiet(utc(2026, 3, 29, 1, 30), OSLO) == utc(2026, 3, 29, 6, 0)  # 03:30 CEST
    assert not_quiet(utc(2026, 3, 29, 2, 0), OSLO) == utc(2026, 3, 29, 2, 0)  # 04:00 CEST stays
    assert not_quiet(utc(2026, 3, 28, 23, 59), OSLO) == utc(2026, 3, 28, 23, 59)  # 00:59 CET stays


def test_no_planned_reminder_falls_between_one_and_four_local_time_whatever_the_settings():
    settings = ReminderSettings()
    meeting = Meeting(1, date(2026, 3, 30), notice_published_at=utc(2026, 3, 29, 0, 30), minutes_status="utkast")
    published_at_night = plan_meeting(meeting, settings, CAL, OSLO, RULES)
    for p in published_at_night:
        assert not time(1) <= p.due_at.astimezone(OSLO).time() < time(4), p
    notice = by_rule(published_at_night, Rule.NOTICE_PUBLISHED)
    assert notice == []  # published 01:30 on the 29th: due 08:00 Sunday → next working day 30th 09:00 ≥ start


def test_meeting_tomorrow_is_the_working_day_before_at_noon_across_both_dst_weekends():
    settings = ReminderSettings()
    monday_spring = plan_meeting(Meeting(1, date(2026, 3, 30)), settings, CAL, OSLO, RULES)
    [tomorrow] = by_rule(monday_spring, Rule.MEETING_TOMORROW)
    assert tomorrow.due_at == utc(2026, 3, 27, 11, 0)  # Friday 12:00 CET
    assert tomorrow.expires_at == utc(2026, 3, 30, 7, 0)  # the meeting's start, 09:00 CEST
    assert tomorrow.delivery_key == "reminder:meeting_tomorrow:meeting:1:2026-03-30"
    monday_autumn = plan_meeting(Meeting(2, date(2026, 10, 26)), settings, CAL, OSLO, RULES)
    [tomorrow] = by_rule(monday_autumn, Rule.MEETING_TOMORROW)
    assert tomorrow.due_at == utc(2026, 10, 23, 10, 0)  # Friday 12:00 CEST
    assert tomorrow.expires_at == utc(2026, 10, 26, 8, 0)  # 09:00 CET


def test_working_days_across_easter_for_action_items_and_the_submission_deadline():
    settings = ReminderSettings()
    action = ActionItem(5, 1, None, "Oppdatere rutinen", "m1", "Medlem 1", date(2026, 4, 7))  # Tuesday after Easter
    before, overdue = plan_action(action, settings, CAL, OSLO)
    # 3 working days before 7 April: 6 (2. påskedag), 3 (langfredag), 2 (skjærtorsdag) are holidays → 1, 31, 30
    assert before.due_at == utc(2026, 3, 30, 7, 0)
    assert before.expires_at == utc(2026, 4, 7, 22, 0)  # midnight after the due day, CEST
    assert overdue.due_at == utc(2026, 4, 8, 7, 0) and overdue.detail["overdue"] is True
    assert overdue.delivery_key == "reminder:action_item_due:action:5:overdue:2026-04-07"
    # A meeting on 16 April: submission deadline 2 April (skjærtorsdag); 3 working days before → 30 March
    [submission] = by_rule(plan_meeting(Meeting(3, date(2026, 4, 16)), settings, CAL, OSLO, RULES),
                           Rule.SUBMISSION_DEADLINE)
    assert submission.due_at == utc(2026, 3, 30, 7, 0) and submission.detail["deadline"] == "2026-04-02"
    # Action due the Thursday before Easter: overdue reminder on Tuesday 7 April
    _, late = plan_action(ActionItem(6, 1, None, "x", "m1", "M", date(2026, 4, 2)), settings, CAL, OSLO)
    assert late.due_at == utc(2026, 4, 7, 7, 0)


def test_the_weekly_digest_is_on_monday_at_eight_in_either_offset():
    spring = plan_digest(date(2026, 4, 1), ReminderSettings(), OSLO)[0]
    assert spring.due_at == utc(2026, 3, 30, 6, 0)
    assert spring.delivery_key == "reminder:weekly_digest:digest:2026-W14:weekly"
    autumn = plan_digest(date(2026, 10, 28), ReminderSettings(), OSLO)[0]
    assert autumn.due_at == utc(2026, 10, 26, 7, 0)


def test_a_switched_off_rule_plans_nothing():
    off = ReminderSettings().changed({rule.value: {"enabled": False} for rule in Rule})
    meeting = Meeting(1, date(2026, 4, 16), notice_published_at=utc(2026, 4, 8, 10), minutes_status="utkast")
    assert plan_meeting(meeting, off, CAL, OSLO, RULES) == []
    assert plan_action(ActionItem(1, 1, None, "x", "m1", "M", date(2026, 4, 7)), off, CAL, OSLO) == []
    assert plan_digest(date(2026, 4, 1), off, OSLO) == []


def test_cancelled_meetings_closed_actions_and_closed_cases_plan_nothing():
    settings = ReminderSettings()
    assert plan_meeting(Meeting(1, date(2026, 4, 16), status=MeetingStatus.CANCELLED), settings, CAL, OSLO,
                        RULES) == []
    done = ActionItem(1, 1, None, "x", "m1", "M", date(2026, 4, 7), status=ActionStatus.DONE)
    assert plan_action(done, settings, CAL, OSLO) == []
    assert plan_case(case(status=CaseStatus.REJECTED), settings, CAL, OSLO) == []


def test_a_case_waiting_reminder_comes_when_the_case_is_thirty_days_old_on_a_working_day():
    [planned] = plan_case(case(submitted=utc(2026, 2, 27, 12)), ReminderSettings(), CAL, OSLO)
    assert planned.due_at == utc(2026, 3, 30, 7, 0)  # 29 March is a Sunday → Monday 30th, 09:00 CEST


# --- settings ------------------------------------------------------------------------------------------------------


def test_settings_have_defaults_and_round_trip_through_a_dict():
    settings = ReminderSettings()
    assert settings[Rule.ACTION_ITEM_DUE] == RuleSettings(True, 3, time(9, 0))
    assert settings[Rule.SUBMISSION_DEADLINE].offset == 3 and all(settings.enabled(r) for r in Rule)
    changed = settings.changed({"meeting_tomorrow": {"enabled": "false", "offset": "2", "at": "10:30"}})
    assert ReminderSettings.from_dict(changed.to_dict()) == changed
    assert changed[Rule.MEETING_TOMORROW] == RuleSettings(False, 2, time(10, 30))
    assert ReminderSettings.from_dict({"case_waiting": {"offset": "x"}, "bogus": 1}) == ReminderSettings()
    assert ReminderSettings.from_dict(None).rules == DEFAULTS


@pytest.mark.parametrize("change, key", [
    ({"action_item_due": {"offset": 31}}, "reminders.offset_out_of_range"),
    ({"vote_closing": {"offset": 0}}, "reminders.offset_out_of_range"),
    ({"meeting_tomorrow": {"offset": 0}}, "reminders.offset_out_of_range"),
    ({"weekly_digest": {"at": "02:30"}}, "reminders.quiet_hours"),
    ({"nope": {"enabled": False}}, "reminders.unknown_rule"),
    ({"case_waiting": {"at": "25:00"}}, "reminders.invalid"),
])
def test_invalid_settings_are_refused(change, key):
    with pytest.raises(InvalidInput) as caught:
        ReminderSettings().changed(change)
    assert caught.value.key == key


# --- still useful at sending time -----------------------------------------------------------------------------


def test_meeting_reminders_are_dropped_when_cancelled_moved_approved_or_started():
    now = utc(2026, 4, 15, 10)
    meeting = Meeting(1, date(2026, 4, 16))
    assert meeting_reminder_useful(Rule.MEETING_TOMORROW, meeting, "2026-04-16", now, OSLO) is None
    assert meeting_reminder_useful(Rule.MEETING_TOMORROW, None, "2026-04-16", now, OSLO) == "cancelled"
    cancelled = Meeting(1, date(2026, 4, 16), status=MeetingStatus.CANCELLED)
    assert meeting_reminder_useful(Rule.MEETING_TOMORROW, cancelled, "2026-04-16", now, OSLO) == "cancelled"
    assert meeting_reminder_useful(Rule.MEETING_TOMORROW, meeting, "2026-04-15", now, OSLO) == "moved"
    assert meeting_reminder_useful(Rule.MEETING_TOMORROW, meeting, "2026-04-16", utc(2026, 4, 16, 7), OSLO) \
        == "obsolete"
    approved = Meeting(1, date(2026, 4, 16), minutes_status="godkjent")
    assert meeting_reminder_useful(Rule.MINUTES_AWAITING_APPROVAL, approved, "2026-04-16", now, OSLO) == "approved"
    draft = Meeting(1, date(2026, 4, 16), minutes_status="utkast")
    assert meeting_reminder_useful(Rule.MINUTES_AWAITING_APPROVAL, draft, "2026-04-16", now, OSLO) is None


def test_action_and_case_reminders_are_checked_against_the_current_state():
    action = ActionItem(1, 1, None, "x", "m1", "M", date(2026, 4, 7))
    assert action_reminder_useful(action, "2026-04-07", False, date(2026, 3, 30)) is None
    assert action_reminder_useful(action, "2026-04-07", True, date(2026, 4, 8)) is None
    assert action_reminder_useful(action, "2026-04-07", True, date(2026, 4, 7)) == "not_overdue"
    assert action_reminder_useful(action, "2026-04-08", False, date(2026, 3, 30)) == "moved"
    closed = ActionItem(1, 1, None, "x", "m1", "M", date(2026, 4, 7), status=ActionStatus.DONE)
    assert action_reminder_useful(closed, "2026-04-07", True, date(2026, 4, 8)) == "closed"
    assert action_reminder_useful(None, "2026-04-07", True, date(2026, 4, 8)) == "deleted"
    waiting = case(submitted=utc(2026, 2, 27, 12))
    assert case_reminder_useful(waiting, 30, date(2026, 3, 30)) is None
    assert case_reminder_useful(waiting, 40, date(2026, 3, 30)) == "not_old"
    assert case_reminder_useful(case(status=CaseStatus.ON_AGENDA), 30, date(2026, 3, 30)) == "closed"
    assert must_report_attendance(["a", "b", "c"], {"b"}) == ["a", "c"]


# --- the digest --------------------------------------------------------------------------------------------------


def test_the_digest_has_queue_age_the_next_two_weeks_and_overdue_action_items():
    today = date(2026, 3, 30)
    cases = [case(1, submitted=utc(2026, 3, 20, 12)), case(2, submitted=utc(2026, 2, 28, 12)),
             case(3, status=CaseStatus.DECIDED)]
    meetings = [Meeting(1, date(2026, 4, 16)), Meeting(2, date(2026, 5, 21)),
                Meeting(3, date(2026, 4, 9), status=MeetingStatus.CANCELLED)]
    actions = [ActionItem(1, 1, None, "Late", "m1", "Medlem 1", date(2026, 3, 27)),
               ActionItem(2, 1, None, "Soon", "m2", "Medlem 2", date(2026, 4, 10)),
               ActionItem(3, 1, None, "Done", "m2", "Medlem 2", date(2026, 3, 1), status=ActionStatus.DONE)]
    digest = build_digest(today, cases, meetings, actions, RULES)
    assert (digest.open_cases, digest.oldest_days, digest.average_days) == (2, 30, 20)
    assert [(d.on, d.kind) for d in digest.deadlines] == [(date(2026, 4, 2), "submission"),
                                                          (date(2026, 4, 9), "notice"),
                                                          (date(2026, 4, 10), "action")]
    assert [a.what for a in digest.overdue] == ["Late"]
    activity = CardReminderMessages().digest(digest, None)
    shown = str(activity)
    assert "Ukeoversikt uke 14" in shown and "Saker som venter: 2" in shown and "«Late» (Medlem 1)" in shown
    assert "innmeldingsfrist" in shown and "«Soon»" in shown


# --- cards and texts -----------------------------------------------------------------------------------------------


def test_the_settings_card_has_a_toggle_and_a_number_or_weekday_choice_per_rule_and_saves_with_its_verb():
    settings = ReminderSettings().changed({"case_waiting": {"enabled": False}})
    built = reminder_settings_card(settings, "en-US", message="Saved")
    inputs = {}

    def walk(node):
        if isinstance(node, dict):
            if str(node.get("type", "")).startswith("Input."):
                inputs[node["id"]] = node
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(built)
    for rule in Rule:
        assert inputs[f"enabled_{rule.value}"]["type"] == "Input.Toggle"
        expected = "Input.ChoiceSet" if rule is Rule.WEEKLY_DIGEST else "Input.Number"
        assert inputs[f"offset_{rule.value}"]["type"] == expected
    weekdays = inputs["offset_weekly_digest"]["choices"]
    assert [c["title"] for c in weekdays] == ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
    assert [c["value"] for c in weekdays] == ["0", "1", "2", "3", "4"]
    assert inputs["enabled_case_waiting"]["value"] == "false" and inputs["offset_action_item_due"]["value"] == 3
    assert "at_vote_closing" not in inputs and inputs["at_weekly_digest"]["value"] == "08:00"
    assert built["actions"][0]["verb"] == REMINDERS_SAVE
    changes = settings_changes({"enabled_case_waiting": "true", "offset_case_waiting": "45", "at_case_waiting": "10:00",
                                "offset_action_item_due": ""})
    assert changes == {"case_waiting": {"enabled": "true", "offset": "45", "at": "10:00"}}
    assert ReminderSettings().changed(changes)[Rule.CASE_WAITING] == RuleSettings(True, 45, time(10, 0))


def test_reminder_messages_render_in_both_languages():
    messages = CardReminderMessages()
    meeting = Meeting(7, date(2026, 4, 16))
    personal = messages.meeting_tomorrow_personal(meeting, "en-US")
    assert "You have not said" in personal["summary"]
    assert [a["data"] for a in personal["attachments"][0]["content"]["actions"]] == [{"meeting_id": "7"}] * 2
    assert "torsdag 16. april 2026" in messages.meeting_tomorrow(meeting)["summary"]
    overdue = messages.action_due(ActionItem(1, 1, None, "Rutine", "m1", "M", date(2026, 4, 7)), True, None)
    assert overdue["summary"] == "Fristen for oppfølgingspunktet «Rutine» gikk ut 7. april 2026."
    assert "30" in messages.case_waiting(case(), 30, "en")["summary"]
    assert rt("reminders.saved", "en") == "The reminders are saved."


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_reminder_texts_have_the_same_keys_and_placeholders_and_clash_with_no_other_module():
    assert nb_reminders.TEXTS.keys() == en_reminders.TEXTS.keys()
    for key, value in nb_reminders.TEXTS.items():
        assert _placeholders(value) == _placeholders(en_reminders.TEXTS[key]), key
    for lang, own in (("nb", nb_reminders.TEXTS), ("en", en_reminders.TEXTS)):
        registered_elsewhere = {k for k in CATALOGUES[lang] if k in own and CATALOGUES[lang][k] != own[k]}
        assert not registered_elsewhere
    for rule in Rule:
        assert f"reminders.rule.{rule.value}" in nb_reminders.TEXTS


def case(number: int = 1, *, status: CaseStatus = CaseStatus.SUBMITTED,
         submitted: datetime = utc(2026, 3, 1, 12)) -> Case:
    return Case(id=number, year=2026, number=number, title=f"Sak {number}", description="", unit="Klinikk",
                requested_type=CaseType.ORIENTERING, submitted_by="m1", submitted_by_name="Medlem 1",
                submitted_at=submitted, submission_key=f"k{number}", status=status)


def test_the_digest_weekday_is_chosen_by_name_in_norwegian():
    built = reminder_settings_card(ReminderSettings(), "nb-NO")
    found = [n for n in _nodes(built) if n.get("id") == "offset_weekly_digest"]

    assert [c["title"] for c in found[0]["choices"]] == ["mandag", "tirsdag", "onsdag", "torsdag", "fredag"]
    assert found[0]["label"] == "Ukedag"


def _nodes(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _nodes(value)
    elif isinstance(node, list):
        for value in node:
            yield from _nodes(value)
