"""English texts for the PASK calendar."""

TEXTS = {
    "pask.title": "The PASK calendar",
    "pask.sync_failed": "I could not read the PASK calendar from {source} ({reason}). The meeting plan uses the "
                        "last good copy. Type **synk pask** to try again.",
    "pask.source.ics": "the calendar file",
    "pask.source.graph": "the Outlook calendar (Microsoft Graph)",
    "pask.source.manual": "the dates you typed in",
    "pask.synced": "The PASK calendar is up to date: {summary}.",
    "pask.none_configured": "No PASK calendar is configured. Type the PASK dates below, one per line.",
    "pask.manual_invalid": "Could not read the line “{line}”. Write e.g. 12.01.2027 10:00-12:00.",
    "pask.manual_saved": "Saved {count} PASK meetings.",
    "pask.manual_label": "PASK meetings (one per line: 12.01.2027 10:00-12:00)",
    "pask.manual_save": "Save PASK dates",
    "pask.status_line": "{source}: last read {when} ({count} meetings)",
    "pask.status_error": "{source}: last attempt failed – {reason}",
    "cmd.pask": "**hent PASK** – read the PASK calendar again, or type in PASK dates",
    "pask.reason.timeout": "the calendar did not answer in time",
    "pask.reason.unreachable": "the calendar could not be reached",
    "pask.reason.not_found": "the calendar or mailbox was not found",
    "pask.reason.unreadable": "the calendar could not be read",
    "pask.reason.too_large": "the calendar file is too large",
    "pask.reason.http_error": "the calendar answered with an error",
    "pask.reason.invalid": "the calendar held something that could not be understood",
    "pask.reason.sign_in": "signing in to the Microsoft account failed",
    "pask.reason.denied": "the bot has no access to the calendar; IT must grant it",
    "pask.sync_now": "Read the PASK calendar now",
}
