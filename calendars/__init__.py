"""Adapters that read PASK meetings from calendars (ICS files/URLs, Microsoft Graph) into council.pask types.

They implement `council.pask.CalendarSource` and raise `council.pask.CalendarUnavailable` on any failure.
"""
