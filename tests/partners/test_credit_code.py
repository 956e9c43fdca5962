"""The unified social credit code: shape, alphabet and check digit, each refused with its own message."""

import pytest
from django.core.exceptions import ValidationError

from partners.credit_code import check_character, make_credit_code, validate_credit_code
from tests.factories import OrganisationFactory

# The worked example of GB 32100-2015.
REAL_CODE = "91350100M000100Y43"


def refusal(code: str) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validate_credit_code(code)
    return caught.value


def test_a_code_built_from_its_parts_passes():
    code = make_credit_code("5", "1", "120111", "MJ0000017")

    validate_credit_code(code)
    assert len(code) == 18 and code[:17] == "51120111MJ0000017"


def test_the_standard_s_worked_example_passes():
    validate_credit_code(REAL_CODE)
    assert check_character(REAL_CODE[:17]) == "3"


@pytest.mark.parametrize("code", [REAL_CODE[:17], REAL_CODE + "0", ""])
def test_a_code_of_the_wrong_length_is_refused(code):
    error = refusal(code)

    assert error.code == "credit_code_length"
    assert f"this one has {len(code)}" in error.messages[0]


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V"])
def test_a_forbidden_letter_is_refused(letter):
    code = REAL_CODE[:9] + letter + REAL_CODE[10:]

    error = refusal(code)

    assert error.code == "credit_code_characters"
    assert "other than I, O, Z, S and V" in error.messages[0]


def test_lower_case_letters_are_refused():
    assert refusal(REAL_CODE.lower()).code == "credit_code_characters"


@pytest.mark.parametrize("position", range(3, 9))
def test_a_letter_among_the_division_digits_is_refused(position):
    code = REAL_CODE[: position - 1] + "A" + REAL_CODE[position:]

    error = refusal(code)

    assert error.code == "credit_code_characters"
    assert "digits in positions 3 to 8" in error.messages[0]


def test_a_wrong_check_digit_is_refused():
    error = refusal(REAL_CODE[:17] + "4")

    assert error.code == "credit_code_check"
    assert "does not match its check digit" in error.messages[0]


@pytest.mark.django_db
def test_an_organisation_with_a_bad_code_fails_validation():
    organisation = OrganisationFactory.build(credit_code=REAL_CODE[:17] + "4", home_community=None)

    with pytest.raises(ValidationError) as caught:
        organisation.full_clean()

    assert [e.code for e in caught.value.error_dict["credit_code"]] == ["credit_code_check"]
