"""Evaluering over HTTP: the figures with charts and tables, the same numbers in the DOCX and PDF, roles."""
from __future__ import annotations

import io
import re
from datetime import date

import pytest
from docx import Document
from pypdf import PdfReader

from bench.synthetic import fill
from tests.e2e.teams import EMMA, KARI, OLA


@pytest.fixture
async def history(tab_bot, council):
    c = tab_bot.container
    await fill(c.engine, today=date(2026, 11, 26), years=2, n_cases=80, n_meetings=24, n_hearings=20, n_actions=60,
               units=c.settings.units[:4])
    return tab_bot


def _table_numbers(html: str, key: str) -> list[str]:
    section = html.split(f'id="fig-{key}"')[1].split("</section>")[0]
    return re.findall(r'<td class="num">([\d.]+)</td>', section)


async def test_the_evaluation_page_draws_every_figure_with_a_table_under_it(history, visitor):
    client = await visitor(KARI.aad)
    status, html, _ = await client.get("/tab/evaluering")
    assert status == 200
    assert html.count('src="data:image/svg+xml;base64,') >= 8
    assert "median" in html and "90-persentil" in html
    held, upcoming, cancelled = (int(n) for n in _table_numbers(html, "meetings"))
    assert held > 0 and cancelled > 0 and held + upcoming + cancelled >= 10


async def test_the_word_report_has_the_same_numbers_as_the_page(history, visitor):
    client = await visitor(OLA.aad)
    _, html, _ = await client.get("/tab/evaluering?year=2025")
    status, body, content_type = await client.get_bytes("/tab/evaluering/rapport.docx?year=2025")
    assert status == 200 and "wordprocessingml" in content_type
    document = Document(io.BytesIO(body))
    assert len(document.inline_shapes) >= 8  # the charts
    tables = {t.rows[0].cells[0].text: t for t in document.tables}
    assert tables  # one table per figure with data
    first = document.tables[0]
    assert [row.cells[1].text for row in first.rows[1:]] == _table_numbers(html, "meetings")


async def test_the_pdf_report_is_readable_text_with_the_charts(history, visitor):
    client = await visitor(KARI.aad)
    status, body, content_type = await client.get_bytes("/tab/evaluering/rapport.pdf")
    assert status == 200 and content_type == "application/pdf"
    reader = PdfReader(io.BytesIO(body))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Evaluering av Kontorfaglig råd" in text and "Høringssvar mot frist" in text
    assert sum(len(page.images) for page in reader.pages) >= 8


async def test_a_person_without_a_role_gets_no_evaluation(history, visitor):
    client = await visitor(EMMA.aad)
    for path in ("/tab/evaluering", "/tab/evaluering/rapport.docx", "/tab/evaluering/rapport.pdf"):
        status, body, _ = await client.get_bytes(path)
        assert status == 403, path
        assert b"svg" not in body and not body.startswith(b"%PDF")


async def test_a_bad_period_is_a_400_page(history, visitor):
    client = await visitor(KARI.aad)
    status, html, _ = await client.get("/tab/evaluering?from=2026-05-01&to=2026-01-01")
    assert status == 400 and "Perioden må ha" in html


async def test_cases_by_topic_are_a_figure_on_the_page_and_in_both_reports(history, visitor):
    client = await visitor(KARI.aad)
    _, html, _ = await client.get("/tab/evaluering")
    section = html.split('id="fig-cases_by_topic"')[1].split("</section>")[0]
    assert "Saker etter emne" in section and "Bekreftet ved behandling" in section and "Ikke bekreftet ennå" in section
    assert "Fristbrudd" in section and "telles under hvert av dem" in section
    counts = [int(n) for n in _table_numbers(html, "cases_by_topic")]
    totals = [a + b for a, b in zip(counts[::2], counts[1::2], strict=True)]
    assert sum(totals) > 0 and totals == sorted(totals, reverse=True)  # most frequent first
    _, body, _ = await client.get_bytes("/tab/evaluering/rapport.docx")
    assert "Saker etter emne" in "\n".join(p.text for p in Document(io.BytesIO(body)).paragraphs)
    _, body, _ = await client.get_bytes("/tab/evaluering/rapport.pdf")
    assert "Saker etter emne" in "".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


async def test_benefits_expected_and_realised_show_on_the_page_and_in_both_reports(history, visitor):
    client = await visitor(KARI.aad)
    _, html, _ = await client.get("/tab/evaluering?year=2025")
    numbers = [int(n) for n in _table_numbers(html, "benefits")]
    assert len(numbers) == 16 and sum(numbers) > 0  # four categories, each split four ways
    note = re.search(r"Forventet gevinst er registrert for (\d+) vedtak fra møter i perioden; (\d+) av dem", html)
    assert note and int(note.group(1)) == sum(numbers)
    _, body, _ = await client.get_bytes("/tab/evaluering/rapport.docx?year=2025")
    document = Document(io.BytesIO(body))
    table = next(t for t in document.tables if t.rows[1].cells[0].text == "Tid spart")
    assert [int(c.text) for row in table.rows[1:] for c in row.cells[1:]] == numbers
    _, body, _ = await client.get_bytes("/tab/evaluering/rapport.pdf?year=2025")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    assert "Gevinster per kategori" in text and "Pasientsikkerhet" in text
