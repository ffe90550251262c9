"""Write the council's documents for the demo council (playground/users) to a folder, to look at them or to
refresh the page images in docs/: innkalling, referat (approved in the next meeting) and a høringssvar.

    .venv/bin/python scripts/sample_records.py out/          # then e.g. pdftoppm -png -r 60 out/referat.pdf
"""
from __future__ import annotations

import sys
from dataclasses import replace
from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cards.documents import CardRecordRenderer, hearing_files, notice_files  # noqa: E402
from council.agenda import AgendaItem, ItemKind  # noqa: E402
from council.cases import Case, CaseStatus, CaseType  # noqa: E402
from council.hearings import Hearing, HearingStatus  # noqa: E402
from council.meetings import Meeting  # noqa: E402
from council.members import Member, Role  # noqa: E402
from council.minutes import ActionItem, Attendance, ItemRecord, Outcome  # noqa: E402
from council.records import CasePaper, attendance_sheet  # noqa: E402
from council.services.agenda import AgendaView  # noqa: E402
from council.services.hearings_letter import HearingLetterView  # noqa: E402
from council.services.minutes import MinutesView  # noqa: E402
from council.services.records import NoticeView  # noqa: E402

OSLO = ZoneInfo("Europe/Oslo")
KARI = Member("kari", "Kari Nordmann", roles=frozenset({Role.LEADER}))
SIGRID = Member("sigrid", "Sigrid Sekretær", roles=frozenset({Role.SECRETARY}))
OLA = Member("ola", "Ola Hansen", roles=frozenset({Role.MEMBER}), unit="Klinikk for kirurgi")
INGRID = Member("ingrid", "Ingrid Berg", roles=frozenset({Role.MEMBER}), unit="Medisinsk klinikk")
PER = Member("per", "Per Olsen", roles=frozenset({Role.MEMBER}), unit="Klinikk for psykisk helse og rus")
LISE = Member("lise", "Lise Vara", roles=frozenset({Role.DEPUTY}), deputy_for="ola")
NILS = Member("nils", "Nils Nettverk", roles=frozenset({Role.NETWORK}))
MEMBERS = (KARI, SIGRID, OLA, INGRID, PER, LISE, NILS)


def _case(number: int, title: str, description: str, kind: CaseType, links=()) -> Case:
    return Case(number, 2026, number + 13, title, description, "Medisinsk klinikk", kind, "emma", "Emma Innmelder",
                datetime(2026, 12, 1, 9, tzinfo=UTC), f"demo-{number}", CaseStatus.ON_AGENDA, final_type=kind,
                links=tuple(links))


def demo() -> tuple[NoticeView, MinutesView, HearingLetterView]:
    meeting = Meeting(1, date(2027, 1, 19), time(10), time(12), "Møterom Tønsberg, bygg 5",
                      notice_published_at=datetime(2027, 1, 12, 6, 0, tzinfo=UTC), minutes_status="godkjent",
                      minutes_approved_at=datetime(2027, 2, 16, 9, 20, tzinfo=UTC), minutes_approved_via="moete",
                      minutes_approved_in="Sak 09/27")
    cases = {1: _case(1, "Felles mal for registrering av fristbrudd", "Klinikkene registrerer fristbrudd ulikt i "
                      "DIPS. Medisinsk klinikk foreslår en felles mal og en kort opplæring for sekretærene.",
                      CaseType.BESLUTNING, ["https://kvalitet.siv.no/docs/pub/DOK25824.pdf"]),
             2: _case(2, "Erfaringer med digital innkalling", "Orientering om erfaringene etter tre måneder.",
                      CaseType.ORIENTERING)}
    titles = ["Godkjenning av innkalling og saksliste", "Godkjenning av referat fra forrige møte",
              "Oppfølgingsliste"]
    items = [AgendaItem(10 + n, 1, n, kind, title) for n, (kind, title) in enumerate(
        zip((ItemKind.APPROVE_NOTICE, ItemKind.APPROVE_MINUTES, ItemKind.FOLLOW_UP), titles, strict=True))]
    items += [AgendaItem(20, 1, 3, ItemKind.CASE, cases[1].title, 1, CaseType.BESLUTNING, "Ingrid Berg", 30),
              AgendaItem(21, 1, 4, ItemKind.CASE, cases[2].title, 2, CaseType.ORIENTERING, "Per Olsen", 15),
              AgendaItem(22, 1, 5, ItemKind.CASE, "Høring: Forskrift om pasientadministrative rutiner",
                         case_type=CaseType.HORING, minutes=20),
              AgendaItem(99, 1, 6, ItemKind.ANY_OTHER, "Eventuelt")]
    items = [replace(item, number=n + 1, year=2027) for n, item in enumerate(items)]
    follow_up = [ActionItem(5, 0, None, "Kartlegge ventelisterutiner i klinikkene", "per", "Per Olsen",
                            date(2027, 2, 1))]
    attendance = {"kari": (Attendance.PRESENT, None), "sigrid": (Attendance.PRESENT, None),
                  "ola": (Attendance.ABSENT, "lise"), "lise": (Attendance.PRESENT, None),
                  "ingrid": (Attendance.PRESENT, None), "per": (Attendance.ABSENT, None)}
    agenda = AgendaView(meeting, items, cases, follow_up, attendance)
    hearing = Hearing(3, "Forskrift om pasientadministrative rutiner", "Helsedirektoratet", date(2026, 12, 2),
                      date(2027, 2, 26), date(2027, 2, 12), "sigrid", datetime(2026, 12, 2, tzinfo=UTC),
                      their_reference="26/12345-3", case_number="2026/04567", journal_number="26/04567-1",
                      document_links=("https://www.helsedirektoratet.no/horinger/eksempel",),
                      status=HearingStatus.DECIDED, meeting_id=1, agenda_item_id=22,
                      decision="Kontorfaglig råd støtter forslaget, men ber om at kravet til dokumentasjon av "
                               "fristbrudd gjelder fra 1. september 2027, slik at klinikkene rekker opplæring.")
    papers = {20: CasePaper(20, cases[1].description, "Rådet vedtar felles mal for registrering av fristbrudd. "
                            "Malen tas i bruk fra 1. mars 2027."),
              21: CasePaper(21, cases[2].description),
              22: CasePaper(22, "Helsedirektoratet har sendt forslag til ny forskrift på høring. Rådet gir innspill "
                            "om konsekvensene for kontortjenesten.", "Rådet slutter seg til utkastet til "
                            "høringssvar.")}
    notice = NoticeView(agenda, MEMBERS, papers, {22: hearing}, date(2027, 1, 18))
    records = {
        10: ItemRecord(10, Outcome.DECIDED, "Innkalling og saksliste ble godkjent."),
        11: ItemRecord(11, Outcome.DECIDED, "Referatet fra møtet 8. desember 2026 ble godkjent."),
        12: ItemRecord(12, Outcome.NOTED, "Rådet tar oppfølgingslisten til orientering."),
        20: ItemRecord(20, Outcome.DECIDED, "Rådet vedtar felles mal for registrering av fristbrudd. Malen tas i "
                       "bruk fra 1. mars 2027.", dissent="Lise Vara mente malen bør tas i bruk etter sommeren.",
                       protocol_entries=("Ingrid Berg ønsket protokollført at opplæringen må gis i arbeidstiden.",),
                       discussion="Ingrid Berg la fram forslaget. Rådet drøftet hvor detaljert malen bør være, og "
                                  "om den skal gjelde poliklinikk og innleggelse likt."),
        21: ItemRecord(21, Outcome.NOTED, "Rådet tar saken til orientering."),
        22: ItemRecord(22, Outcome.DECIDED, hearing.decision),
        99: ItemRecord(99, Outcome.DISCUSSED, "Tatt til orientering.",
                       discussion="Praksisplasser for helsesekretærelever våren 2027\nNytt fra DIPS-superbrukerne"),
    }
    actions = [ActionItem(30, 1, 20, "Sende malen til klinikkene", "ingrid", "Ingrid Berg", date(2027, 2, 15))]
    nxt = Meeting(2, date(2027, 2, 16), time(10), time(12), "Teams")
    minutes = MinutesView(agenda, records, actions, (), attendance_sheet(list(MEMBERS), attendance), nxt,
                          {}, {22: hearing})
    letter = HearingLetterView(hearing, KARI, "Kontorfaglig råd", date(2027, 2, 17), "Sak 06/27", meeting.date)
    return notice, minutes, letter


def main(folder: str) -> None:
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    notice, minutes, letter = demo()
    files = {**{f"innkalling.{k.split('.')[1]}": v for k, v in notice_files(notice, OSLO).items()},
             **{f"referat.{k.split('.')[1]}": v for k, v in CardRecordRenderer(OSLO).minutes(minutes).items()},
             **{f"horingssvar.{k.split('.')[1]}": v for k, v in hearing_files(letter, OSLO).items()}}
    for name, body in files.items():
        (out / name).write_bytes(body)
        print(out / name)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "out")
