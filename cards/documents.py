"""The council's documents as files: the RecordRenderer port (referat) and the innkalling's files, each built
from one view model (cards/record_models.py) and rendered by one module per format."""
from __future__ import annotations

from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from cards.archive import ArchiveFile, archive_metadata, archive_zip
from cards.docx import render_docx
from cards.record_models import hearing_letter_model, minutes_model, notice_model
from cards.records_md import render_markdown
from cards.records_pdf import render_pdf

if TYPE_CHECKING:
    from council.records import FrozenDocument
    from council.services.hearings_letter import HearingLetterView
    from council.services.minutes import MinutesView
    from council.services.records import NoticeView


def notice_files(view: NoticeView, tz: ZoneInfo, kinds: frozenset[str] | None = None) -> dict[str, bytes]:
    """The innkalling as PDF/A and Word (or only `kinds`: a download renders the one format asked for)."""
    return _rendered(notice_model(view, tz), "notice", kinds)


def hearing_files(view: HearingLetterView, tz: ZoneInfo, kinds: frozenset[str] | None = None) -> dict[str, bytes]:
    return _rendered(hearing_letter_model(view, tz), "horingssvar", kinds)


def _rendered(model, prefix: str, kinds: frozenset[str] | None) -> dict[str, bytes]:
    renderers = {f"{prefix}.pdf": render_pdf, f"{prefix}.docx": render_docx}
    return {kind: render(model) for kind, render in renderers.items() if kinds is None or kind in kinds}


def archive_package(view: MinutesView, frozen: dict[str, FrozenDocument], notice: NoticeView, tz: ZoneInfo,
                    access_code: str = "", legal_basis: str = "") -> bytes:
    """One zip per approved meeting for the archive: referat (frozen PDF/A + Word), innkalling with the
    saksframlegg (PDF/A + Word), metadata.json and metadata-noark5.xml."""
    day = view.agenda.meeting.date.isoformat()
    notice_docs = notice_files(notice, tz)
    files = [ArchiveFile(f"referat-{day}.pdf", f"Referat {day}", "Møtereferat", "hoveddokument", "PDF/A-2b",
                         frozen["minutes.pdf"].body),
             ArchiveFile(f"referat-{day}.docx", f"Referat {day}", "Møtereferat", "vedlegg", "DOCX",
                         frozen["minutes.docx"].body),
             ArchiveFile(f"innkalling-{day}.pdf", f"Innkalling og saksframlegg {day}", "Møteinnkalling", "vedlegg",
                         "PDF/A-2b", notice_docs["notice.pdf"]),
             ArchiveFile(f"innkalling-{day}.docx", f"Innkalling og saksframlegg {day}", "Møteinnkalling", "vedlegg",
                         "DOCX", notice_docs["notice.docx"])]
    return archive_zip(files, archive_metadata(view, files, access_code, legal_basis, tz))


class CardRecordRenderer:
    """The RecordRenderer port: the referat's files (always bokmål; archive documents)."""

    def __init__(self, tz: ZoneInfo) -> None:
        self._tz = tz

    def minutes(self, view: MinutesView, kinds: frozenset[str] | None = None) -> dict[str, bytes]:
        """Every format (at approval), or only `kinds` (a draft's download)."""
        model = minutes_model(view, self._tz)
        renderers = {"minutes.pdf": render_pdf, "minutes.docx": render_docx,
                     "minutes.md": lambda m: render_markdown(m).encode("utf-8")}
        return {kind: render(model) for kind, render in renderers.items() if kinds is None or kind in kinds}
