"""Identity-number detection: what is flagged, which look-alikes are not, and that no digits leak."""
from council.pii import PiiHit, find_national_ids, is_valid_national_id, scan_fields

K1_WEIGHTS = (3, 7, 6, 1, 8, 9, 4, 5, 2)
K2_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def _check(digits: str, weights: tuple[int, ...]) -> int | None:
    check = (11 - sum(w * int(c) for w, c in zip(weights, digits, strict=False)) % 11) % 11
    return None if check == 10 else check


def make_id(ddmmyy: str, start: int = 123) -> str:
    """A number with valid pre-2032 control digits, from the first individual number >= `start` that works."""
    for individual in range(start, 1000):
        nine = f"{ddmmyy}{individual:03d}"
        k1 = _check(nine, K1_WEIGHTS)
        if k1 is None:
            continue
        k2 = _check(nine + str(k1), K2_WEIGHTS)
        if k2 is not None:
            return f"{nine}{k1}{k2}"
    raise AssertionError("no individual number gives valid control digits")


def make_loose_only_id(ddmmyy: str) -> str:
    """A number whose K1 fails the old rule but leaves remainder 1-3, with a correct strict K2."""
    for individual in range(1000):
        nine = f"{ddmmyy}{individual:03d}"
        base = sum(w * int(c) for w, c in zip(K1_WEIGHTS, nine, strict=True))
        for k1 in range(10):
            if (base + k1) % 11 not in (1, 2, 3):
                continue
            k2 = _check(nine + str(k1), K2_WEIGHTS)
            if k2 is not None:
                return f"{nine}{k1}{k2}"
    raise AssertionError("no loose-only number found")


def with_wrong_k2(number: str) -> str:
    return number[:10] + str((int(number[10]) + 1) % 10)


def make_account(first_ten: str) -> str:
    """A Norwegian bank account number: MOD11 over the first ten digits."""
    check = 11 - sum(w * int(c) for w, c in zip(K2_WEIGHTS, first_ten, strict=True)) % 11
    assert check != 10, "choose other account digits"
    return first_ten + str(0 if check == 11 else check)


FNR = make_id("010190")


def test_helper_builds_numbers_that_pass_the_old_rule():
    assert _check(FNR[:9], K1_WEIGHTS) == int(FNR[9])
    assert _check(FNR[:10], K2_WEIGHTS) == int(FNR[10])


def test_valid_fodselsnummer_is_found_unbroken():
    assert find_national_ids(FNR) == ["fodselsnummer"]
    assert is_valid_national_id(FNR) == "fodselsnummer"


def test_valid_fodselsnummer_is_found_split_six_plus_five_by_space_dot_or_hyphen():
    for separator in (" ", ".", "-"):
        text = f"fnr {FNR[:6]}{separator}{FNR[6:]} ble oppgitt"
        assert find_national_ids(text) == ["fodselsnummer"], separator


def test_fodselsnummer_embedded_in_a_sentence_is_found():
    assert find_national_ids(f"pasient {FNR} kom inn i går.") == ["fodselsnummer"]


def test_d_number_is_found_with_day_plus_forty():
    d_number = make_id("410190")
    assert is_valid_national_id(d_number) == "d-nummer"
    assert find_national_ids(f"D-nr {d_number}") == ["d-nummer"]


def test_d_number_at_day_seventy_one_is_found():
    assert is_valid_national_id(make_id("710190")) == "d-nummer"


def test_h_number_is_found_with_month_plus_forty():
    h_number = make_id("014190")
    assert is_valid_national_id(h_number) == "h-nummer"
    assert find_national_ids(h_number) == ["h-nummer"]


def test_h_number_for_december_is_found_but_month_fifty_three_is_not():
    assert is_valid_national_id(make_id("015290")) == "h-nummer"
    assert is_valid_national_id(make_id("015390")) is None


def test_fh_number_starting_with_eight_or_nine_is_found_without_a_date():
    for prefix in ("8", "9"):
        fh_number = make_id(prefix + "99999")
        assert is_valid_national_id(fh_number) == "fh-nummer", prefix
        assert find_national_ids(fh_number) == ["fh-nummer"], prefix


def test_wrong_check_digit_is_not_flagged():
    broken = with_wrong_k2(FNR)
    assert is_valid_national_id(broken) is None
    assert find_national_ids(f"pasient {broken}") == []


def test_wrong_check_digit_on_fh_number_is_not_flagged():
    assert is_valid_national_id(with_wrong_k2(make_id("812345"))) is None


def test_correct_check_digits_with_day_thirty_two_are_not_flagged():
    assert find_national_ids(make_id("320190")) == []


def test_thirty_first_of_february_is_not_flagged():
    assert find_national_ids(make_id("310290")) == []


def test_twenty_ninth_of_february_in_a_leap_year_is_flagged():
    assert find_national_ids(make_id("290292")) == ["fodselsnummer"]


def test_twenty_ninth_of_february_in_year_00_is_flagged_because_2000_was_a_leap_year():
    assert is_valid_national_id(make_id("290200")) == "fodselsnummer"


def test_twenty_ninth_of_february_when_neither_century_is_a_leap_year_is_not_flagged():
    assert is_valid_national_id(make_id("290201")) is None


def test_bank_account_number_is_not_flagged_unbroken_or_grouped_four_two_five():
    account = make_account("1234567890")
    assert account == "12345678903"
    grouped = f"{account[:4]} {account[4:6]} {account[6:]}"
    assert grouped == "1234 56 78903"
    assert find_national_ids(account) == []
    assert find_national_ids(f"kontonummer {grouped} til refusjon") == []
    assert find_national_ids(f"kontonummer {account[:4]}.{account[4:6]}.{account[6:]}") == []


def test_valid_fodselsnummer_written_as_four_two_five_groups_is_not_flagged():
    # The same digits as a real number, but in the bank-account grouping, are not one of the accepted forms.
    assert find_national_ids(FNR) == ["fodselsnummer"]
    assert find_national_ids(f"{FNR[:4]} {FNR[4:6]} {FNR[6:]}") == []


def test_twelve_and_thirteen_digit_runs_containing_a_valid_number_are_not_flagged():
    for run in ("9" + FNR, FNR + "9", "12" + FNR, FNR + "12", "4" + FNR + "4"):
        assert len(run) in (12, 13)
        assert find_national_ids(f"ref {run} ok") == [], run


def test_split_form_glued_to_more_digit_groups_is_not_flagged():
    assert find_national_ids(f"{FNR[:6]}-{FNR[6:]}-12") == []
    assert find_national_ids(f"12.{FNR[:6]}.{FNR[6:]}") == []


def test_number_passing_only_the_2032_rule_is_flagged():
    loose = make_loose_only_id("010190")
    assert _check(loose[:9], K1_WEIGHTS) != int(loose[9])
    assert is_valid_national_id(loose) == "fodselsnummer"
    assert find_national_ids(f"ny pasient {loose}") == ["fodselsnummer"]


def test_2032_rule_still_requires_a_strict_k2():
    assert is_valid_national_id(with_wrong_k2(make_loose_only_id("010190"))) is None


def test_several_numbers_give_one_kind_each_in_order():
    text = f"{FNR} og {make_id('410190')}"
    assert find_national_ids(text) == ["fodselsnummer", "d-nummer"]


def test_is_valid_national_id_rejects_input_that_is_not_eleven_ascii_digits():
    assert is_valid_national_id(FNR[:10]) is None
    assert is_valid_national_id(FNR + "0") is None
    assert is_valid_national_id(f"{FNR[:6]} {FNR[6:]}") is None
    assert is_valid_national_id("") is None
    assert is_valid_national_id("\u0660" * 11) is None  # Arabic-Indic zeros are digits but not ASCII


def test_scan_fields_names_fields_and_kinds_in_field_order_and_never_the_digits():
    d_number = make_id("410190")
    fields = {
        "title": "Innmelding",
        "description": f"pasient {FNR} og {d_number}",
        "empty": "",
        "missing": None,
        "notes": f"D-nr {d_number[:6]}-{d_number[6:]}",
    }
    hits = scan_fields(fields)
    assert hits == [PiiHit(field="description", kind="fodselsnummer"), PiiHit(field="notes", kind="d-nummer")]
    for digits in (FNR, d_number, FNR[:6], FNR[6:]):
        assert digits not in repr(hits)
        assert digits not in str(hits)


def test_scan_fields_returns_nothing_for_clean_text():
    assert scan_fields({"title": "Møte 12. mars", "body": "Ring 22 11 33 44"}) == []
