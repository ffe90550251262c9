"""Markdown rendering of a RecordDocument, with a metadata header for the archive (an API/archive format; the
secretary's formats are Word and PDF)."""
from __future__ import annotations

import json

from cards.record_models import RecordDocument
from cards.texts import t

NB = "nb-NO"


def render_markdown(document: RecordDocument) -> str:
    meta = [
        (t("doc.title_field", NB), f"{document.title} – {document.date_text}"),
        (t("doc.council_field", NB), document.council),
        (t("doc.organisation_field", NB), document.organisation),
        (t("doc.date_field", NB), document.iso_date),
        (t("doc.case_numbers_field", NB), list(document.case_numbers)),
        (t("doc.status_field", NB), document.status or document.kind),
    ]
    lines = ["---", *(f"{key.lower()}: {json.dumps(value, ensure_ascii=False)}" for key, value in meta), "---", "",
             f"# {document.title}", ""]
    for fact in document.facts:
        values = fact.value.splitlines()
        if len(values) > 1:
            lines += [f"**{fact.label}:**", "", *(f"- {v}" for v in values), ""]
        else:
            lines.append(f"**{fact.label}:** {fact.value}  ")
    lines.append("")
    lines += [*(f"{line}\n" for line in document.intro)]
    for group in document.groups:
        lines += [f"## {group.heading}", ""]
        for section in group.sections:
            lines += [f"### {section.heading}", ""]
            if section.meta:
                lines += [f"*{section.meta}*", ""]
            for part in section.parts:
                lines += [f"**{part.label}:** {part.text}" if part.label else part.text, ""]
            if section.bullets:
                lines += [*(f"- {b}" for b in section.bullets), ""]
            if section.links:
                lines += [f"**{t('minutes.links', NB)}:**", *(f"- <{link}>" for link in section.links), ""]
        if group.lines:
            lines += [*(f"- {line}" for line in group.lines), ""]
        elif not group.sections and group.empty:
            lines += [group.empty, ""]
    lines += [*(f"{line}  " for line in document.closing)]
    return "\n".join(lines).rstrip() + "\n"
