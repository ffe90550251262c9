"""Synthetic council history for the tab's scale test and benchmark: years of meetings, cases, attendance,
hearings, action items and theme meetings, written straight into the tables (deterministic: seeded random)."""
from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import insert, select

from council.topics import DEFAULT_TOPICS, suggest
from storage.tables import (
    action_items,
    agenda_items,
    attendance,
    audit_log,
    case_topics,
    cases,
    decision_benefits,
    decision_implementation,
    hearings,
    meetings,
    members,
)
from storage.themes import theme_meetings, theme_rsvps

TITLES = ("Rutine for registrering av henvisninger", "Fristbrudd i poliklinikken", "Ventelistekontroll",
          "NPR-validering av kontakter", "Timebøker i DIPS", "Opplæring av nye helsesekretærer",
          "Avvik ved videre henvisning til Helfo", "Arkivering i Public 360", "Praksisplasser høsten",
          "Felles mal for innkallingsbrev", "Digital innsjekk", "Kodeverk for kontakttyper")
STATUSES = ("vedtatt", "vedtatt", "drøftet", "tatt_til_orientering", "avvist", "innmeldt", "pa_saksliste",
            "loftet_til_dlg", "behandlet_i_dlg", "utsatt")


async def fill(engine, *, today: date, years: int = 10, n_cases: int = 2500, n_meetings: int = 120,
               n_hearings: int = 300, n_actions: int = 1500, units: tuple[str, ...], seed: int = 13,
               benefits: bool = True) -> None:
    """`benefits`: every third decision gets a benefit (every second of those about felles praksis, with some units'
    implementation status); the newest decision is left without."""
    rnd = random.Random(seed)
    start = today - timedelta(days=365 * years)
    span = (today - start).days
    day = lambda: start + timedelta(days=rnd.randrange(span))  # noqa: E731
    at = lambda d: datetime.combine(d, time(9), UTC)  # noqa: E731
    async with engine.begin() as conn:
        seats = [{"aad_object_id": f"syn-{i}", "name": f"Medlem {i}", "roles": ["member"], "unit": unit}
                 for i, unit in enumerate(units)]
        await conn.execute(insert(members), seats)
        meeting_days = sorted(start + timedelta(days=int(span * i / n_meetings)) for i in range(n_meetings))
        first_id = 1_000_000
        await conn.execute(insert(meetings), [
            {"id": first_id + i, "date": d, "start_time": time(9), "end_time": time(11), "place": "Møterom",
             "status": "avlyst" if i % 17 == 5 else "planlagt", "minutes_status": "godkjent", "calendar_version": 1}
            for i, d in enumerate(meeting_days)])
        await conn.execute(insert(attendance), [
            {"meeting_id": first_id + i, "member": s["aad_object_id"], "reported_at": at(d),
             "status": "forfall" if rnd.random() < 0.15 else "til_stede",
             "deputy": "syn-deputy" if rnd.random() < 0.5 else None}
            for i, d in enumerate(meeting_days) if d < today for s in seats])
        rows, topic_rows = [], []
        for n in range(n_cases):
            submitted = day()
            changed = min(submitted + timedelta(days=rnd.randrange(5, 200)), today)
            status = rnd.choice(STATUSES)
            rows.append({"id": first_id + n, "year": submitted.year, "number": 10_000 + n, "submission_key": f"syn-{n}",
                         "title": f"{rnd.choice(TITLES)} ({n})", "description": "Syntetisk sak for ytelsestest.",
                         "unit": rnd.choice(units), "requested_type": rnd.choice(("beslutning", "orientering",
                                                                                   "drofting")),
                         "submitted_by": "syn-0", "submitted_by_name": "Medlem 0", "submitted_at": at(submitted),
                         "status": status, "status_changed_at": at(changed), "links": [], "urgent": False,
                         "deferrals": 0, "pii_override": False, "version": 1,
                         "meeting_id": first_id + rnd.randrange(n_meetings),
                         "escalated_on": submitted if "dlg" in status else None,
                         "dlg_outcome_at": at(changed) if status == "behandlet_i_dlg" else None})
            topics = suggest(rows[-1]["title"], DEFAULT_TOPICS) or (rnd.choice(DEFAULT_TOPICS),)
            rows[-1]["topics_status"] = "bekreftet" if status != "innmeldt" else "foreslatt"
            rows[-1]["deviation_ref"] = str(rnd.randrange(10_000, 99_999)) if "Avvik" in topics else None
            topic_rows += [{"case_id": first_id + n, "topic": topic, "position": p} for p, topic in enumerate(topics)]
        await conn.execute(insert(cases), rows)
        await conn.execute(insert(case_topics), topic_rows)
        await conn.execute(insert(audit_log), [
            {"at": r["submitted_at"], "actor": "syn-0", "entity": "case", "entity_id": str(r["id"]),
             "action": "submit", "before": None, "after": {"status": "innmeldt"}} for r in rows])
        held = [(first_id + i, d) for i, d in enumerate(meeting_days) if d < today and i % 17 != 5]
        await conn.execute(insert(agenda_items), [
            {"meeting_id": mid, "position": p, "kind": "case", "title": f"{rnd.choice(TITLES)}", "case_id": first_id + (
                (i * 2 + p) % n_cases), "presenter": "", "number": p + 1, "year": d.year, "outcome": "vedtatt",
             "record_text": "Rådet slutter seg til forslaget og ber sekretariatet følge opp."}
            for i, (mid, d) in enumerate(held) for p in range(2)])
        hearing_rows = []
        for n in range(n_hearings):
            received = day()
            external = received + timedelta(days=42)
            answered = received + timedelta(days=rnd.randrange(20, 50))
            hearing_rows.append({
                "title": f"Høring {n}", "sender": "Helsedirektoratet", "received": received,
                "external_deadline": external, "internal_deadline": external - timedelta(days=14),
                "document_links": [], "status": "sendt" if answered < today else "under_arbeid",
                "status_changed_at": at(min(answered, today)), "created_by": "syn-0", "created_at": at(received),
                "version": 1})
        await conn.execute(insert(hearings), hearing_rows)
        action_rows = []
        for n in range(n_actions):
            due = day()
            closed = due + timedelta(days=rnd.randrange(-20, 30))
            done = closed < today and rnd.random() < 0.85
            action_rows.append({"meeting_id": first_id + rnd.randrange(n_meetings), "what": f"Oppfølging {n}",
                                "owner": "syn-0", "owner_name": "Medlem 0", "due": due,
                                "status": "lukket" if done else "apen", "closed_at": at(closed) if done else None})
        await conn.execute(insert(action_items), action_rows)
        theme_days = [start + timedelta(days=int(span * i / (years * 3))) for i in range(years * 3)]
        await conn.execute(insert(theme_meetings), [
            {"id": first_id + i, "topic": f"Temamøte {i}", "date": d, "start_time": time(13), "end_time": time(15),
             "place": "Auditoriet", "status": "holdt" if d < today else "planlagt", "summary": "",
             "created_by": "syn-0", "created_at": at(d), "version": 1} for i, d in enumerate(theme_days)])
        await conn.execute(insert(theme_rsvps), [
            {"theme_id": first_id + i, "member": s["aad_object_id"], "answer": "kommer", "answered_at": at(d)}
            for i, d in enumerate(theme_days) for s in seats[:5]])
        if benefits:  # a generator of its own, so the rest of the history stays what it was
            await _benefits(conn, random.Random(seed + 1), units, today, at)


CATEGORIES = ("tid_spart", "kvalitet", "pasientsikkerhet", "okonomi")
REALISED = ("ikke_vurdert", "ja", "delvis", "nei")


async def _benefits(conn, rnd: random.Random, units: tuple[str, ...], today: date, at) -> None:
    decided = (await conn.execute(select(agenda_items.c.id, meetings.c.date)
                                  .join(meetings, meetings.c.id == agenda_items.c.meeting_id)
                                  .where(agenda_items.c.outcome == "vedtatt")
                                  .order_by(meetings.c.date.desc(), agenda_items.c.position))).all()
    chosen = [(item_id, day) for n, (item_id, day) in enumerate(decided) if n % 3 == 1]
    if not chosen:
        return
    await conn.execute(insert(decision_benefits), [
        {"item_id": item_id, "expected": "Mindre tid brukt på manuell registrering.",
         "category": rnd.choice(CATEGORIES), "owner": "syn-0", "owner_name": "Medlem 0",
         "realised": (realised := rnd.choice(REALISED)), "realised_note": "",
         "assessed_on": min(day + timedelta(days=180), today) if realised != "ikke_vurdert" else None,
         "uniform_practice": n % 2 == 0, "updated_by": "syn-0", "updated_at": at(day)}
        for n, (item_id, day) in enumerate(chosen)])
    statuses = [
        {"item_id": item_id, "unit": unit, "status": (status := rnd.choice(("ikke_startet", "pagar", "innfort"))),
         "status_on": min(day + timedelta(days=rnd.randrange(10, 200)), today) if status == "innfort" else None,
         "updated_by": "syn-0", "updated_at": at(day)}
        for n, (item_id, day) in enumerate(chosen) if n % 2 == 0 for unit in units if rnd.random() < 0.7]
    if statuses:
        await conn.execute(insert(decision_implementation), statuses)
