"""Outbox rules: what a failed delivery leads to, and pacing that keeps Teams' rate limits (pure, no sleeping)."""
from __future__ import annotations

import random
from bisect import bisect_right

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from council.outbox import (
    AppPacer,
    ConversationWindow,
    DeliveryError,
    GiveUp,
    Pacer,
    Retry,
    SharedWindow,
    after_failure,
)

MAX = 8


def most_in_any_window(times: list[float], span: float) -> int:
    """The largest number of instants inside any half-open window (t - span, t]."""
    ordered = sorted(times)
    # The fullest window always ends on one of the instants.
    return max((bisect_right(ordered, t) - bisect_right(ordered, t - span) for t in ordered), default=0)


def backoff_bounds(attempts: int) -> tuple[float, float]:
    base = min(2.0 * 2 ** (attempts - 1), 60.0)
    return base, base * 1.5


# --- after_failure ----------------------------------------------------------------------------------------------


def test_retry_after_is_honoured_on_429():
    assert after_failure(DeliveryError(429, retry_after=7.5), attempts=1, max_attempts=MAX) == Retry(7.5)


def test_negative_retry_after_on_429_means_retry_now():
    assert after_failure(DeliveryError(429, retry_after=-3), attempts=1, max_attempts=MAX) == Retry(0.0)


def test_429_without_retry_after_falls_back_to_jittered_backoff():
    decision = after_failure(DeliveryError(429), attempts=1, max_attempts=MAX, rng=random.Random(1))

    assert isinstance(decision, Retry)
    low, high = backoff_bounds(1)
    assert low <= decision.delay <= high


@pytest.mark.parametrize("status", [503, 502, 504, 412, 500, 0])
@pytest.mark.parametrize("seed", [0, 1, 42, 2026])
def test_transient_errors_retry_within_jitter_bounds_that_grow_with_attempts(status, seed):
    rng = random.Random(seed)
    delays = []
    for attempts in range(1, MAX):
        decision = after_failure(DeliveryError(status), attempts=attempts, max_attempts=MAX, rng=rng)
        assert isinstance(decision, Retry)
        low, high = backoff_bounds(attempts)
        assert low <= decision.delay <= high
        delays.append(decision.delay)

    assert delays[0] < 3.0 + 1e-9
    assert all(later >= earlier for earlier, later in zip(delays, delays[1:], strict=False))


@pytest.mark.parametrize("attempts", [6, 7, 10, 30])
def test_backoff_is_capped_at_sixty_seconds_plus_half_jitter(attempts):
    for seed in range(20):
        decision = after_failure(DeliveryError(503), attempts=attempts, max_attempts=100, rng=random.Random(seed))
        assert isinstance(decision, Retry)
        assert 60.0 <= decision.delay <= 90.0


def test_backoff_is_deterministic_for_a_seeded_rng():
    first = after_failure(DeliveryError(503), attempts=3, max_attempts=MAX, rng=random.Random(7))
    second = after_failure(DeliveryError(503), attempts=3, max_attempts=MAX, rng=random.Random(7))

    assert first == second


@pytest.mark.parametrize(("status", "reason"), [(403, "blocked"), (404, "not_found")])
def test_blocked_or_missing_recipient_gives_up_without_retry(status, reason):
    assert after_failure(DeliveryError(status), attempts=1, max_attempts=MAX) == GiveUp(reason)


def test_give_up_reason_prefers_the_channel_error_code():
    error = DeliveryError(403, code="ConversationBlockedByUser")

    assert after_failure(error, attempts=1, max_attempts=MAX) == GiveUp("ConversationBlockedByUser")


@pytest.mark.parametrize("status", [400, 401, 413])
def test_client_errors_give_up_with_the_status_as_reason(status):
    assert after_failure(DeliveryError(status), attempts=1, max_attempts=MAX) == GiveUp(f"http_{status}")


@pytest.mark.parametrize("error", [DeliveryError(503), DeliveryError(429, retry_after=1.0), DeliveryError(0)])
@pytest.mark.parametrize("attempts", [MAX, MAX + 1])
def test_exhausted_attempts_give_up(error, attempts):
    decision = after_failure(error, attempts=attempts, max_attempts=MAX, rng=random.Random(0))

    assert decision == GiveUp(f"gave_up_after_{attempts}_attempts_http_{error.status}")


def test_the_last_allowed_attempt_still_retries():
    assert isinstance(after_failure(DeliveryError(503), attempts=MAX - 1, max_attempts=MAX), Retry)


# --- AppPacer ---------------------------------------------------------------------------------------------------


def test_app_pacer_spaces_a_burst_so_no_second_holds_more_than_the_rate():
    pacer = AppPacer(rate=50)
    now = 1000.0
    slots = [now + pacer.reserve(now) for _ in range(100)]

    assert slots[0] == now
    assert most_in_any_window(slots, 1.0) <= 50
    assert all(later > earlier for earlier, later in zip(slots, slots[1:], strict=False))


def test_app_pacer_does_not_delay_a_request_after_a_quiet_spell():
    pacer = AppPacer(rate=50)
    pacer.reserve(10.0)

    assert pacer.reserve(20.0) == 0.0


@settings(max_examples=60, deadline=None)
@given(rate=st.integers(min_value=1, max_value=100),
       gaps=st.lists(st.floats(min_value=0.0, max_value=0.2, allow_nan=False), min_size=1, max_size=300))
def test_app_pacer_never_exceeds_an_integer_rate_for_any_arrival_pattern(rate, gaps):
    pacer = AppPacer(rate=rate)
    now, slots = 500.0, []
    for gap in gaps:
        now += gap
        delay = pacer.reserve(now)
        assert delay >= 0.0
        slots.append(now + delay)

    assert most_in_any_window(slots, 1.0) <= rate


# --- Conversation windows ---------------------------------------------------------------------------------------


def test_conversation_pacing_keeps_7_per_second_and_60_per_30_seconds_for_200_messages():
    pacer = Pacer(per_app_per_second=50, per_conversation_per_second=7, per_conversation_per_30s=60)
    now, slots = 100.0, []
    for _ in range(200):
        delay = pacer.conversation_delay("19:council@thread.tacv2", now)
        assert delay >= 0.0
        now += delay  # the sender waits for its slot, then asks for the next one at once
        slots.append(now)

    assert most_in_any_window(slots, 1.0) <= 7
    assert most_in_any_window(slots, 30.0) <= 60
    assert slots == sorted(slots)
    # Not needlessly slow: 200 messages at 60 per 30 s fit in a little over three windows.
    assert slots[-1] - slots[0] < 4 * 30.0


def test_reservations_made_at_the_same_instant_are_queued_in_order():
    window = ConversationWindow(((7, 1.0), (60, 30.0)))
    slots = [50.0 + window.reserve(50.0) for _ in range(70)]

    assert slots == sorted(slots)
    assert most_in_any_window(slots, 1.0) <= 7
    assert most_in_any_window(slots, 30.0) <= 60
    assert slots[7] > slots[0] + 1.0
    assert slots[60] > slots[0] + 30.0


def test_different_conversations_do_not_delay_each_other():
    pacer = Pacer(per_app_per_second=50, per_conversation_per_second=7, per_conversation_per_30s=60)
    for _ in range(7):
        pacer.conversation_delay("a", 10.0)

    assert pacer.conversation_delay("a", 10.0) > 1.0
    assert pacer.conversation_delay("b", 10.0) == 0.0


@settings(max_examples=80, deadline=None)
@given(gaps=st.lists(st.floats(min_value=0.0, max_value=3.0, allow_nan=False), min_size=1, max_size=200),
       per_second=st.integers(min_value=1, max_value=10), per_30s=st.integers(min_value=1, max_value=80))
def test_conversation_window_never_exceeds_either_limit_for_any_arrival_pattern(gaps, per_second, per_30s):
    window = ConversationWindow(((per_second, 1.0), (per_30s, 30.0)))
    now, slots = 0.0, []
    for gap in gaps:
        now += gap  # requests arrive on their own schedule, whether or not earlier ones have gone out
        delay = window.reserve(now)
        assert delay >= 0.0
        slots.append(now + delay)

    # slots are rebuilt as now + delay, so allow float rounding in the order check
    assert all(later >= earlier - 1e-9 for earlier, later in zip(slots, slots[1:], strict=False))
    assert most_in_any_window(slots, 1.0) <= per_second
    assert most_in_any_window(slots, 30.0) <= per_30s


def test_a_conversations_next_request_waits_for_a_second_after_its_seventh_last_finished():
    pacer = Pacer(50, 7, 60)
    assert pacer.conversation_request_delay("c", 0.0) == 0.0
    for n in range(7):  # each request took a while: what counts is when it finished
        pacer.conversation_request_done("c", 0.2 + n * 0.01)
    assert pacer.conversation_request_delay("c", 0.5) == pytest.approx(0.7)
    assert pacer.conversation_request_delay("c", 1.25) == 0.0
    assert pacer.conversation_request_delay("other", 0.5) == 0.0


def test_a_conversation_taken_over_from_another_process_counts_its_recent_requests():
    pacer = Pacer(50, 7, 60)
    assert not pacer.knows("c", 10.0)
    pacer.seed("c", [9.5 + n * 0.05 for n in range(7)])  # the other process's last second
    assert pacer.knows("c", 10.0)
    assert pacer.conversation_request_delay("c", 10.0) == pytest.approx(0.5)
    assert pacer.conversation_delay("c", 10.0) == pytest.approx(0.501)
    assert not pacer.knows("c", 41.0)  # nothing within the 30-s window any more


def test_the_shared_window_keeps_two_to_spare_spans_a_little_over_a_second_and_spreads_requests():
    window = SharedWindow.for_rate(50)
    assert (window.limit, window.span, window.gap) == (48, 1.05, pytest.approx(0.016))
    assert SharedWindow.for_rate(10).limit == 9
