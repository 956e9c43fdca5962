"""Pure rules under any input: a masked phone shows at most 7 digits; a trust score stays within 0-100."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from evaluation.services.trust_scores import DEDUCTION_CAP, trust_score_for
from partners.models import mask_phone

mobile_numbers = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
# Contact numbers of organisations come in any shape: landlines, extensions, country codes.
any_numbers = st.text(alphabet="0123456789 +-()*#ext", max_size=30)
evaluation_totals = st.lists(st.decimals(min_value=0, max_value=100, places=2), max_size=8)
breach_counts = st.fixed_dictionaries(
    {
        "open": st.integers(0, 500),
        "resolved": st.integers(0, 500),
        "severe": st.integers(0, 500),
    }
)


@settings(max_examples=300)
@given(phone=st.one_of(mobile_numbers, any_numbers, st.text(max_size=30)))
def test_a_masked_phone_shows_at_most_seven_digits_and_keeps_its_length(phone):
    masked = mask_phone(phone)
    assert len(masked) == len(phone)
    assert sum(character.isdigit() for character in masked) <= 7
    shown = [(position, character) for position, character in enumerate(masked) if character != "*"]
    assert all(phone[position] == character for position, character in shown)


@given(phone=mobile_numbers)
def test_a_mobile_number_shows_its_first_three_and_last_four_digits(phone):
    assert mask_phone(phone) == phone[:3] + "****" + phone[-4:]


@given(phone=st.text(alphabet="0123456789", max_size=10))
def test_a_number_shorter_than_a_mobile_number_is_masked_entirely(phone):
    assert mask_phone(phone) == "*" * len(phone)


@settings(max_examples=300)
@given(totals=evaluation_totals, breaches=breach_counts)
def test_a_trust_score_stays_between_0_and_100_and_deducts_at_most_the_cap(totals, breaches):
    score, evaluation, deduction, details = trust_score_for(totals=totals, breaches=breaches)
    assert Decimal("0") <= score <= Decimal("100")
    assert Decimal("0") <= deduction <= DEDUCTION_CAP
    assert score == max(evaluation - deduction, Decimal("0"))
    assert details["evaluations"] == len(totals)


@given(totals=evaluation_totals, breaches=breach_counts, kind=st.sampled_from(["open", "resolved", "severe"]))
def test_one_more_breach_never_raises_a_trust_score(totals, breaches, kind):
    score, *_ = trust_score_for(totals=totals, breaches=breaches)
    worse, *_ = trust_score_for(totals=totals, breaches={**breaches, kind: breaches[kind] + 1})
    assert worse <= score
