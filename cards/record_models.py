"""View models of the council's documents: the innkalling (with saksframlegg) and the referat.

One model per document, built from the services' views; every string is final bokmål text (archive documents
are in bokmål whatever the reader's Teams language). The PDF (`cards/records_pdf.py`), Word (`cards/docx.py`)
and Markdown (`cards/records_md.py`) renderers only lay the model out, so the formats never disagree.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from cards.agenda import item_kind_label, time_range
from cards.minutes import action_line
from cards.records import approval_line, seat_lines
from cards.texts import t
from cards.texts.format import format_date
from cards.votes import vote_result_lines
from council.agenda import AgendaItem, ItemKind
from council.cases import Case
from council.dlg import decision_reference
from council.guests import guest_line
from council.members import Member, Role
from council.minutes import ANY_OTHER_DECISION, ActionItem, Outcome
from council.records import any_other_points, default_minute_taker, letter, needs_proposal, submission_label

if TYPE_CHECKING:
    from council.services.hearings_letter import HearingLetterView
    from council.services.minutes import MinutesView
    from council.services.records import NoticeView

NB = "nb-NO"


@dataclass(frozen=True)
class Fact:
    label: str
    value: str  # may hold several lines


@dataclass(frozen=True)
class Part:
    """A labelled paragraph inside a section ("Vedtak", "Forslag til vedtak"); an empty label is plain text."""

    label: str
    text: str


@dataclass(frozen=True)
class Section:
    heading: str  # "Sak 04/27 – Tittel"
    meta: str = ""  # "Beslutningssak · Innmelding 014/26"
    parts: tuple[Part, ...] = ()
    bullets: tuple[str, ...] = ()
    links: tuple[str, ...] = ()


@dataclass(frozen=True)
class Group:
    """A titled run of sections or plain lines ("Saksliste", "Saksframlegg", "Oppfølgingsliste")."""

    heading: str
    sections: tuple[Section, ...] = ()
    lines: tuple[str, ...] = ()
    empty: str = ""  # shown when there is nothing in the group


@dataclass(frozen=True)
class Letter:
    """A letter's frame (høringssvar): sender and recipient blocks, references, signature."""

    sender: tuple[str, ...]
    recipient: tuple[str, ...]
    references: tuple[Fact, ...]
    greeting: str
    signature: tuple[str, ...]


@dataclass(frozen=True)
class RecordDocument:
    kind: str  # "Innkalling og saksliste", "Møtereferat", "Høringssvar" (metadata subject and keywords)
    title: str
    organisation: str
    council: str
    date_text: str  # the meeting or letter date, for the title line and the metadata
    status: str = ""  # top right of every page ("Utkast – ikke godkjent", "Godkjent …")
    facts: tuple[Fact, ...] = ()
    intro: tuple[str, ...] = ()
    groups: tuple[Group, ...] = ()
    closing: tuple[str, ...] = ()
    case_numbers: tuple[str, ...] = ()
    created: datetime | None = None  # fixes the metadata dates: equal input gives equal bytes
    letter: Letter | None = None
    iso_date: str = ""  # for the archive metadata (YYYY-MM-DD)


def _place(place: str) -> str:
    return place.strip() or t("records.place_unknown", NB)


def _heading(item: AgendaItem) -> str:
    return f"{item.label()} – {item.title}" if item.label() else item.title


def _items(items) -> list[AgendaItem]:
    return sorted(items, key=lambda i: i.position)


def _follow_up(actions: list[ActionItem]) -> tuple[str, ...]:
    return tuple(f"{action_line(a, NB)} ({t(f'action_status.{a.status.value}', NB)})"
                 for a in sorted(actions, key=lambda a: (a.due, a.id or 0)))


def _names(members, predicate) -> list[Member]:
    return sorted((m for m in members if predicate(m)), key=lambda m: m.name.casefold())


# --- Innkalling --------------------------------------------------------------------------------------------------


def notice_model(view: NoticeView, tz: ZoneInfo) -> RecordDocument:
    """Innkalling: when and where, Til/Kopi, where apologies go, the saksliste, then a saksframlegg per item."""
    agenda, meeting = view.agenda, view.agenda.meeting
    members = view.members
    by_id = {m.aad_object_id: m for m in members}
    to = [f"{m.name} ({t('records.leader_seat', NB).lower()})" for m in _names(members, lambda m: m.is_leader)]
    to += [f"{m.name} ({m.unit})" if m.unit else m.name
           for m in _names(members, lambda m: m.has(Role.MEMBER) and not m.is_leader)]
    copy = [t("records.deputy_for", NB, name=m.name, member=by_id[m.deputy_for].name)
            if m.deputy_for in by_id else m.name for m in _names(members, lambda m: m.has(Role.DEPUTY))]
    if view.copy_network:
        copy += [m.name for m in _names(members, lambda m: m.has(Role.NETWORK) and not m.has(Role.DEPUTY))]
    secretary = default_minute_taker(list(members))
    facts = (Fact(t("records.meeting_date", NB), format_date(meeting.date, NB, weekday=True)),
             Fact(t("records.time", NB), time_range(meeting.start, meeting.end, NB)),
             Fact(t("records.place", NB), _place(meeting.place)),
             Fact(t("records.to", NB), "\n".join(to) or t("minutes.nobody", NB)),
             *((Fact(t("records.copy", NB), "\n".join(copy)),) if copy else ()))
    intro = ()
    if view.apologies_by is not None:
        intro = (t("records.apologies_to", NB, name=secretary.name if secretary else t("records.the_secretary", NB),
                   date=format_date(view.apologies_by, NB, weekday=True)),)
    listing, papers = [], []
    for item in _items(agenda.items):
        case = agenda.cases.get(item.case_id) if item.case_id is not None else None
        meta = " · ".join(p for p in (item_kind_label(item, NB), submission_label(case) if case else "",
                                      t("records.presenter", NB, name=item.presenter) if item.presenter else "")
                          if p)
        bullets = _follow_up(agenda.follow_up) if item.kind is ItemKind.FOLLOW_UP else ()
        invited = agenda.guests.get(item.id, []) if item.id is not None else []
        guests = (Part(t("records.guests_invited", NB), guest_line(invited)),) if invited else ()
        listing.append(Section(_heading(item), meta, guests, bullets=bullets))
        paper = view.papers.get(item.id) if item.id is not None else None
        if paper is None:
            continue
        parts = [Part(t("records.background", NB), paper.background or t("records.no_background", NB))]
        hearing = view.hearings.get(item.id)
        if hearing is not None:
            parts.append(Part(t("records.hearing_deadline", NB), t("records.hearing_deadline_text", NB,
                              sender=hearing.sender, date=format_date(hearing.external_deadline, NB))))
        if needs_proposal(item):
            parts.append(Part(t("records.proposal", NB), paper.proposed_decision or t("records.no_proposal", NB)))
        links = tuple(case.links) if case else tuple(hearing.document_links) if hearing else ()
        papers.append(Section(_heading(item), meta, tuple(parts), links=links))
    groups = [Group(t("records.agenda", NB), tuple(listing), empty=t("records.no_items", NB))]
    if papers:
        groups.append(Group(t("records.papers", NB), tuple(papers)))
    return RecordDocument(
        kind=t("records.kind_notice", NB), title=t("invite.title", NB), organisation=t("doc.organisation", NB),
        council=t("app.name", NB), date_text=format_date(meeting.date, NB, weekday=True), facts=facts,
        intro=intro, groups=tuple(groups), case_numbers=tuple(i.label() for i in _items(agenda.items) if i.label()),
        created=meeting.notice_published_at.astimezone(tz) if meeting.notice_published_at else None,
        iso_date=meeting.date.isoformat())


# --- Referat -----------------------------------------------------------------------------------------------------


def _vote_for(view: MinutesView, item: AgendaItem):
    hearing = view.hearings.get(item.id) if item.id is not None else None
    if hearing is None or hearing.vote_id is None:
        return None
    return next((v for v in view.votes if v.vote.id == hearing.vote_id), None)


def _fremmet(view: MinutesView, item: AgendaItem, case: Case | None) -> bool:
    """Fremmet for DLG from this meeting's decision on this sak (the case's escalation names both)."""
    escalation = case.escalation if case else None
    day = view.agenda.meeting.date
    return escalation is not None and escalation.on == day and escalation.reference == decision_reference(
        item.label(), day)


def _item_section(view: MinutesView, item: AgendaItem) -> Section:
    agenda = view.agenda
    case = agenda.cases.get(item.case_id) if item.case_id is not None else None
    meta = " · ".join(p for p in (item_kind_label(item, NB), submission_label(case) if case else "") if p)
    record = view.records.get(item.id) if item.id is not None else None
    parts: list[Part] = []
    bullets: list[str] = []
    if record is None:
        parts.append(Part("", t("minutes.not_recorded", NB)))
    elif item.kind is ItemKind.ANY_OTHER:
        parts += [Part("", f"{letter(n)}) {point}") for n, point in enumerate(any_other_points(record))]
        if record.discussion.strip() and record.text.strip():
            parts.append(Part(t("minutes.heading.drøftet", NB), record.text))
        if record.outcome is Outcome.DECIDED:
            parts.append(Part("", t(ANY_OTHER_DECISION, NB)))
    else:
        if record.discussion:
            parts.append(Part(t("records.discussion", NB), record.discussion))
        parts.append(Part(t(f"minutes.heading.{record.outcome.value}", NB), record.text))
        if _fremmet(view, item, case):
            parts.append(Part("", t("minutes.dlg_line", NB)))
        vote = _vote_for(view, item)
        if vote is not None:
            parts.append(Part(t("records.vote", NB), "\n".join(vote_result_lines((vote,), NB))))
        elif record.outcome is Outcome.DECIDED and not record.dissent:
            parts.append(Part("", t("records.unanimous", NB)))
        if record.dissent:
            parts.append(Part(t("minutes.dissent", NB), record.dissent))
        parts += [Part(t("minutes.protocol_heading", NB), entry) for entry in record.protocol_entries]
    bullets += [f"{t('minutes.follow_up', NB)}: {action_line(a, NB)}" for a in view.actions if a.item_id == item.id]
    return Section(_heading(item), meta, tuple(parts), tuple(bullets), tuple(case.links) if case else ())


def minutes_model(view: MinutesView, tz: ZoneInfo) -> RecordDocument:
    """Referat: header with attendance per seat, each sak, circulation decisions, the follow-up list as it stood,
    the next meeting and the approval line."""
    agenda, meeting, sheet = view.agenda, view.agenda.meeting, view.sheet
    status = approval_line(meeting, NB, tz) or t("records.draft", NB)
    facts = [Fact(t("records.organ", NB), f"{t('app.name', NB)}, {t('doc.organisation', NB)}"),
             Fact(t("records.meeting_date", NB), format_date(meeting.date, NB, weekday=True)),
             Fact(t("records.time", NB), time_range(meeting.start, meeting.end, NB)),
             Fact(t("records.place", NB), _place(meeting.place))]
    if sheet is not None:
        facts += [Fact(t("records.chair", NB), sheet.chair or t("minutes.nobody", NB)),
                  Fact(t("records.minute_taker", NB), sheet.minute_taker or t("minutes.nobody", NB))]
        if sheet.recorded:
            facts.append(Fact(t("minutes.present", NB), "\n".join(seat_lines(sheet, NB))))
            facts.append(Fact(t("minutes.absent", NB), ", ".join(sheet.absent) or t("minutes.nobody", NB)))
            if sheet.others:
                facts.append(Fact(t("records.others", NB), ", ".join(sheet.others)))
        else:
            facts.append(Fact(t("minutes.present", NB), t("records.attendance_not_recorded", NB)))
    on_items = {h.vote_id for i, h in view.hearings.items() if h.vote_id is not None}
    circulation = tuple(vote_result_lines([v for v in view.votes if v.vote.id not in on_items], NB))
    groups = (Group(t("records.items", NB), tuple(_item_section(view, i) for i in _items(agenda.items)),
                    empty=t("records.no_items", NB)),
              Group(t("records.circulation", NB), lines=circulation, empty=t("records.none", NB)),
              Group(t("minutes.open_follow_up", NB), lines=_follow_up(agenda.follow_up), empty=t("records.none", NB)))
    following = view.next_meeting
    next_text = (f"{format_date(following.date, NB, weekday=True)}, {time_range(following.start, following.end, NB)}"
                 + (f", {following.place.strip()}" if following.place.strip() else "")) if following \
        else t("records.no_next_meeting", NB)
    closing = (f"{t('records.next_meeting', NB)}: {next_text}", status)
    return RecordDocument(
        kind=t("records.kind_minutes", NB), title=t("minutes.doc_title", NB), organisation=t("doc.organisation", NB),
        council=t("app.name", NB), date_text=format_date(meeting.date, NB, weekday=True), status=status,
        facts=tuple(facts), groups=groups, closing=closing,
        case_numbers=tuple(i.label() for i in _items(agenda.items) if i.label()),
        created=meeting.minutes_approved_at.astimezone(tz) if meeting.minutes_locked and meeting.minutes_approved_at
        else None, iso_date=meeting.date.isoformat())


# --- Høringssvar -------------------------------------------------------------------------------------------------


def hearing_letter_model(view: HearingLetterView, tz: ZoneInfo) -> RecordDocument:
    """The høringssvar as a letter: sender, recipient, Vår ref./Deres ref./Dato, subject, the decided text, the
    leader's signature block."""
    hearing, council, organisation = view.hearing, view.council, t("doc.organisation", NB)
    letter_date = format_date(view.letter_date, NB)
    if view.decided_in and view.decided_on:
        item = view.decided_in[:1].lower() + view.decided_in[1:]
        decided = t("records.hearing_decided_in", NB, council=council, item=item,
                    date=format_date(view.decided_on, NB))
    elif view.decided_on:
        decided = t("records.hearing_decided_vote", NB, council=council, date=format_date(view.decided_on, NB))
    else:
        decided = t("records.hearing_decided", NB, council=council)
    intro = t("records.hearing_intro", NB, received=format_date(hearing.received, NB),
              deadline=format_date(hearing.external_deadline, NB))
    body = tuple(Part("", paragraph.strip()) for paragraph in hearing.decision.split("\n\n") if paragraph.strip())
    sections = (Section("", parts=(Part("", intro), *body, Part("", decided))),)
    leader = view.leader.name if view.leader else ""
    signature = tuple(line for line in (leader, t("records.leader_title", NB, council=council), organisation) if line)
    letter = Letter(sender=(organisation, council), recipient=(hearing.sender,),
                    references=(Fact(t("records.our_ref", NB), hearing.case_number),
                                Fact(t("records.their_ref", NB), hearing.their_reference),
                                Fact(t("records.letter_date", NB), letter_date)),
                    greeting=t("records.greeting", NB),
                    signature=(*signature, "", t("records.signed_electronically", NB)))
    created = hearing.status_changed_at.astimezone(tz) if hearing.status_changed_at else None
    return RecordDocument(
        kind=t("records.kind_hearing", NB), title=t("records.hearing_subject", NB, title=hearing.title),
        organisation=organisation, council=council, date_text=letter_date, groups=(Group("", sections),),
        case_numbers=tuple(ref for ref in (hearing.case_number, hearing.their_reference) if ref), created=created,
        letter=letter, iso_date=view.letter_date.isoformat())
