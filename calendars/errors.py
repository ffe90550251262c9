"""What both calendar adapters do with a failed request: a `CalendarUnavailable` in their own words, never
naming the URL (a published calendar's URL carries a secret)."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import aiohttp

from council.pask import CalendarUnavailable


@contextmanager
def network_errors(late: str, unreachable: str) -> Iterator[None]:
    """A timeout becomes `late`; a connection or HTTP client error `unreachable (ErrorType)`."""
    try:
        yield
    except TimeoutError:
        raise CalendarUnavailable(late, code="timeout") from None
    except aiohttp.ClientError as error:
        raise CalendarUnavailable(f"{unreachable} ({type(error).__name__})", code="unreachable") from None
