"""Topics from the mandate's task list, suggested from a case's text, and the deviation number (avviksnummer).

Topics are stored by their label, so a later change to COUNCIL_TOPICS never rewrites what a case was tagged with.
The suggestion is a plain keyword match: cheap, explainable, and only a proposal the leader confirms at triage."""
from __future__ import annotations

import re
from collections.abc import Iterable
from enum import Enum

from council.pii import find_national_ids, is_valid_national_id

DEFAULT_TOPICS = (
    "Henvisninger og ventetider",
    "Fristbrudd",
    "Kontakter/timebøker",
    "Registreringspraksis og kodeverk",
    "NPR-validering",
    "Avvik",
    "Videre henvisning / Helfo",
    "DIPS",
    "Public 360",
    "Styrende dokumenter og opplæring",
    "Kompetanse og utdanning",
    "Praksisplasser",
    "Innovasjon / ny teknologi",
    "Oppgavedeling/sentralisering",
)
MAX_TOPIC = 100  # characters of one label (the column is 100 wide)
MAX_SUGGESTED = 3
MAX_DEVIATION_REF = 20


class TopicsStatus(str, Enum):
    """Who set a case's topics: the bot's suggestion, the submitter, or the leader at triage."""

    SUGGESTED = "foreslatt"
    CHOSEN = "valgt"
    CONFIRMED = "bekreftet"


# Stems that point to a default topic. Matching is on lower-cased text; a stem may sit inside a Norwegian
# compound («behandlingsfristbrudd»), so most patterns are substrings, with look-arounds where a stem is also
# part of an unrelated word («avvikle» is no «avvik», «høringsfrist» is the council's own deadline).
_KEYWORDS: dict[str, tuple[str, ...]] = {
    "Henvisninger og ventetider": (r"(?<!videre)(?<!videre )henvis", r"ventetid", r"venteliste"),
    "Fristbrudd": (r"(?<!hørings)(?<!innmeldings)frist",),
    "Kontakter/timebøker": (r"timebok", r"timebøk", r"\bkontakter\b", r"kontaktregistrering", r"timebestilling",
                            r"\bbooking", r"innkallingsbrev"),
    "Registreringspraksis og kodeverk": (r"\bregistrer", r"kodeverk", r"\bkoding", r"diagnosekode",
                                         r"prosedyrekode", r"\bicd", r"\bncsp", r"\bncmp", r"\btakst"),
    "NPR-validering": (r"\bnpr\b", r"norsk pasientregister", r"validering"),
    "Avvik": (r"\bavvik(?!l)", r"synergi", r"uønsket hendelse"),
    "Videre henvisning / Helfo": (r"helfo", r"videre ?henvis", r"fritt behandlingsvalg"),
    "DIPS": (r"\bdips",),
    "Public 360": (r"public ?360", r"\bp360\b", r"\barkiv"),
    "Styrende dokumenter og opplæring": (r"opplæring", r"prosedyre(?!kode)", r"rutine", r"retningslinje",
                                         r"styrende dokument", r"e-læring", r"\beqs\b"),
    "Kompetanse og utdanning": (r"kompetanse", r"utdanning", r"\bkurs", r"fagbrev"),
    "Praksisplasser": (r"praksisplass", r"praksisperiode", r"\bstudent", r"\blærling"),
    "Innovasjon / ny teknologi": (r"innovasjon", r"teknologi", r"automatiser", r"\brobot", r"\brpa\b",
                                  r"kunstig intelligens", r"\bki\b", r"\bdigital", r"talegjenkjenning"),
    "Oppgavedeling/sentralisering": (r"oppgavedeling", r"sentraliser", r"oppgaveglidning", r"samordn"),
}
_PATTERNS = {topic: re.compile("|".join(stems)) for topic, stems in _KEYWORDS.items()}
_REF = re.compile(r"^[0-9]+(?:[-/][0-9]+)*$")


def parse_topics(raw: str) -> tuple[str, ...]:
    """COUNCIL_TOPICS: labels separated by ';'. Commas are refused (a card's multi-select joins values with
    them); the caller turns ValueError into a settings error."""
    topics = tuple(dict.fromkeys(part.strip() for part in raw.split(";") if part.strip()))
    if not topics:
        raise ValueError("no topics")
    if any("," in topic or len(topic) > MAX_TOPIC for topic in topics):
        raise ValueError("a topic holds a comma or is too long")
    return topics


def split_choices(raw: str) -> tuple[str, ...]:
    """A multi-select's value ("A,B") as labels, in order, without blanks or repeats."""
    return tuple(dict.fromkeys(part.strip() for part in raw.split(",") if part.strip()))


def suggest(text: str, topics: Iterable[str], limit: int = MAX_SUGGESTED) -> tuple[str, ...]:
    """The topics whose stems occur most in `text` (at most `limit`), in the configured order. A configured
    topic without stems of its own is suggested when its label occurs in the text."""
    lowered = text.casefold()
    order = list(topics)
    scores: dict[str, int] = {}
    for topic in order:
        pattern = _PATTERNS.get(topic)
        hits = len(pattern.findall(lowered)) if pattern else lowered.count(topic.casefold())
        if hits:
            scores[topic] = hits
    best = sorted(scores, key=lambda topic: (-scores[topic], order.index(topic)))[:limit]
    return tuple(topic for topic in order if topic in best)


def unknown_topics(chosen: Iterable[str], allowed: Iterable[str]) -> list[str]:
    allowed_set = set(allowed)
    return [topic for topic in chosen if topic not in allowed_set]


def deviation_ref_error(raw: str) -> str | None:
    """The catalogue key of what is wrong with an avviksnummer, or None when it may be stored (empty is fine).

    A reference is digits, optionally grouped by «-» or «/» (Synergi numbers are plain digits; other systems
    write «2026-1234» or «26/1234»). Anything that reads as a national identity number is refused outright:
    this field holds a number of a deviation report, never anything about a patient."""
    value = raw.strip()
    if not value:
        return None
    digits = re.sub(r"[^0-9]", "", value)
    if find_national_ids(value) or is_valid_national_id(digits):
        return "submit.error.deviation_ref_pii"
    if len(value) > MAX_DEVIATION_REF or not _REF.match(value):
        return "submit.error.deviation_ref_invalid"
    return None
