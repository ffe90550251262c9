"""Bokmål texts for the PASK calendar."""

TEXTS = {
    "pask.title": "PASK-kalenderen",
    "pask.sync_failed": "Jeg fikk ikke hentet PASK-kalenderen fra {source} ({reason}). Møteplanen bruker siste "
                         "vellykkede kopi. Skriv **hent PASK** for å prøve igjen.",
    "pask.source.ics": "kalenderfilen",
    "pask.source.graph": "Outlook-kalenderen (Microsoft Graph)",
    "pask.source.manual": "datoene du skrev inn",
    "pask.synced": "PASK-kalenderen er oppdatert: {summary}.",
    "pask.none_configured": "Ingen PASK-kalender er satt opp. Skriv inn PASK-datoene under, én per linje.",
    "pask.manual_invalid": "Forstod ikke linjen «{line}». Skriv f.eks. 12.01.2027 kl. 10.00–12.00.",
    "pask.manual_saved": "Lagret {count:PASK-møte|PASK-møter}.",
    "pask.manual_label": "PASK-møter (én per linje, f.eks. 12.01.2027 kl. 10.00–12.00)",
    "pask.manual_save": "Lagre PASK-datoer",
    "pask.status_line": "{source}: sist hentet {when} ({count:møte|møter})",
    "pask.status_error": "{source}: feil ved siste forsøk – {reason}",
    "cmd.pask": "**hent PASK** – hent PASK-kalenderen på nytt, eller skriv inn PASK-datoer",
    "pask.reason.timeout": "kalenderen svarte ikke i tide",
    "pask.reason.unreachable": "fikk ikke kontakt med kalenderen",
    "pask.reason.not_found": "fant ikke kalenderen eller postboksen",
    "pask.reason.unreadable": "kalenderen kunne ikke leses",
    "pask.reason.too_large": "kalenderfilen er for stor",
    "pask.reason.http_error": "kalenderen svarte med en feil",
    "pask.reason.invalid": "kalenderen inneholdt noe som ikke kunne tolkes",
    "pask.reason.sign_in": "innloggingen til Microsoft-kontoen feilet",
    "pask.reason.denied": "boten har ikke tilgang til kalenderen; IT må gi tilgang",
    "pask.sync_now": "Hent PASK-kalenderen nå",
}
