"""Bokmål texts for reminders (påminnelser), the weekly digest and the reminder settings card."""

TEXTS = {
    "cmd.reminders": "**påminnelser** – slå påminnelser av og på og endre når de sendes (leder)",
    # --- the messages -----------------------------------------------------------------------------------------
    "reminders.submission_deadline": "Fristen for å melde inn saker til møtet {meeting} er {deadline}.",
    "reminders.notice_published": "Innkallingen til møtet {meeting} er publisert. Meld forfall om du ikke kan komme.",
    "reminders.meeting_tomorrow": "Påminnelse: rådet har møte {meeting} {time}.",
    "reminders.meeting_tomorrow_personal": "Rådet har møte {meeting} {time}. Du har ikke meldt om du kommer. "
                                           "Meld forfall eller bekreft oppmøte.",
    "reminders.minutes_awaiting_approval": "Referatet fra møtet {meeting} venter på godkjenning.",
    "reminders.action_due": "Oppfølgingspunktet «{what}» har frist {due}.",
    "reminders.action_overdue": "Fristen for oppfølgingspunktet «{what}» gikk ut {due}.",
    "reminders.case_waiting": "{reference} «{title}» har ventet i {days:dag|dager}.",
    # --- the weekly digest --------------------------------------------------------------------------------------
    "reminders.digest_title": "Ukeoversikt uke {week}",
    "reminders.digest_queue": "Saker som venter: {count}. Eldste: {oldest:dag|dager}, snitt: "
                               "{average:dag|dager}.",
    "reminders.digest_queue_empty": "Ingen saker venter.",
    "reminders.digest_deadlines": "Frister de neste to ukene",
    "reminders.digest_no_deadlines": "Ingen frister de neste to ukene.",
    "reminders.digest_overdue": "Oppfølgingspunkter over fristen",
    "reminders.digest_no_overdue": "Ingen oppfølgingspunkter over fristen.",
    "reminders.deadline.submission": "{date}: innmeldingsfrist for møtet {meeting}",
    "reminders.deadline.notice": "{date}: innkallingen til møtet {meeting} skal ut",
    "reminders.deadline.meeting": "{date}: rådsmøte",
    "reminders.deadline.action": "{date}: «{what}» ({owner})",
    "reminders.overdue_line": "{date}: «{what}» ({owner})",
    # --- settings -----------------------------------------------------------------------------------------------
    "reminders.settings_title": "Påminnelser",
    "reminders.settings_intro": "Slå hver påminnelse av eller på, og velg når den sendes. Påminnelser sendes "
                                "aldri mellom kl. 01.00 og 03.59.",
    "reminders.rule.submission_deadline": "Innmeldingsfrist nærmer seg (kanal)",
    "reminders.rule.notice_published": "Innkalling publisert (kanal)",
    "reminders.rule.meeting_tomorrow": "Møte i morgen (kanal, og personlig melding til dem som ikke har meldt "
                                        "oppmøte)",
    "reminders.rule.vote_closing": "Avstemning avsluttes (personlig melding til dem som ikke har stemt)",
    "reminders.rule.minutes_awaiting_approval": "Referat venter på godkjenning (kanal)",
    "reminders.rule.action_item_due": "Frist for oppfølgingspunkt (personlig melding til ansvarlig)",
    "reminders.rule.case_waiting": "Sak har ventet lenge (leder)",
    "reminders.rule.weekly_digest": "Ukeoversikt (leder)",
    "reminders.unit.working_days": "Antall arbeidsdager",
    "reminders.unit.days": "Antall dager",
    "reminders.unit.hours": "Timer før fristen",
    "reminders.unit.weekday": "Ukedag",
    "reminders.at_label": "Klokkeslett",
    "reminders.save": "Lagre",
    "reminders.saved": "Påminnelsene er lagret.",
    "reminders.offset_out_of_range": "Tallet for «{rule}» må være mellom {low} og {high}.",
    "reminders.quiet_hours": "Påminnelsen «{rule}» kan ikke sendes mellom kl. 01.00 og 03.59.",
    "reminders.unknown_rule": "Ukjent påminnelse: {rule}.",
    "reminders.invalid": "Ugyldig verdi for «{rule}».",
    # --- messages that may not have been delivered (leader) -----------------------------------------------------
    "cmd.undelivered": "**usendte meldinger** – meldinger som kanskje ikke kom fram; send på nytt eller marker som "
                       "håndtert (leder)",
    "reminders.digest_undelivered": "Meldinger som kanskje ikke kom fram: {count}",
    "reminders.digest_undelivered_open": "Vis usendte meldinger",
    "undelivered.title": "Usendte meldinger",
    "undelivered.intro": "Noen meldinger ({count}) var på vei ut da boten stoppet, og vi vet ikke om de kom "
                          "fram. De sendes ikke på nytt av seg selv, for mottakeren kan allerede ha fått dem. "
                          "Sjekk med mottakeren, og send på nytt eller marker som håndtert.",
    "undelivered.more": "Viser de {shown} eldste av {total}.",
    "undelivered.none": "Ingen meldinger venter på en avgjørelse. Alt annet er levert eller står i kø.",
    "undelivered.line": "{when} til {to}: «{what}»",
    "undelivered.no_preview": "(uten tekst)",
    "undelivered.to_channel": "rådets kanal",
    "undelivered.to_channel_named": "kanalen i {team}",
    "undelivered.to_group": "en gruppechat",
    "undelivered.to_unknown": "ukjent mottaker",
    "undelivered.to_person": "en person",
    "undelivered.resend": "Send likevel …",
    "undelivered.dismiss": "Marker som håndtert",
    "undelivered.confirm_title": "Sende meldingen på nytt?",
    "undelivered.confirm": "Mottakeren kan allerede ha fått denne meldingen. Sender du likevel, kan den komme "
                           "fram to ganger.",
    "undelivered.resend_confirmed": "Send likevel",
    "undelivered.back": "Tilbake",
    "undelivered.resent": "Meldingen er lagt i kø og sendes på nytt.",
    "undelivered.dismissed": "Meldingen er markert som håndtert og sendes ikke.",
    "undelivered.not_found": "Fant ikke meldingen.",
    "undelivered.already_handled": "Meldingen er allerede sendt på nytt eller markert som håndtert.",
}
