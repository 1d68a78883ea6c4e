import pytest
from django.core.exceptions import ValidationError

from accounts.validators import (
    normalize_orcid,
    orcid_check_digit,
    validate_bluesky_url,
    validate_linkedin_url,
    validate_orcid,
)


@pytest.mark.parametrize(
    "orcid",
    [
        "0000-0002-1825-0097",  # ORCID's own example, Josiah Carberry
        "0000-0001-5109-3700",
        "0000-0002-1694-233X",  # check character X
    ],
)
def test_real_orcid_ids_are_accepted(orcid):
    validate_orcid(orcid)


@pytest.mark.parametrize(
    "orcid", ["0000-0002-1825-0098", "0000-0002-1825-0079", "0000-0002-1694-2330"]
)
def test_an_orcid_id_with_a_wrong_check_character_is_refused_as_a_checksum_error(orcid):
    with pytest.raises(ValidationError) as error:
        validate_orcid(orcid)
    assert error.value.code == "orcid_checksum"


@pytest.mark.parametrize(
    "orcid",
    ["", "0000-0002-1825", "0000000218250097", "0000-0002-1825-009Y", "abcd-0002-1825-0097",
     "0000-0002-1825-0097 ", "https://orcid.org/0000-0002-1825-0097"],
)  # fmt: skip
def test_anything_not_shaped_like_an_orcid_id_is_refused(orcid):
    with pytest.raises(ValidationError) as error:
        validate_orcid(orcid)
    assert error.value.code == "orcid_format"


def test_check_digit_follows_iso_7064_mod_11_2():
    assert orcid_check_digit("000000021825009") == "7"
    assert orcid_check_digit("000000021694233") == "X"


@pytest.mark.parametrize(
    "pasted",
    [
        "https://orcid.org/0000-0002-1825-0097",
        "orcid.org/0000-0002-1825-0097",
        " 0000 0002 1825 0097 ",
        "0000000218250097",
    ],
)
def test_the_forms_people_paste_are_normalized_to_the_canonical_id(pasted):
    assert normalize_orcid(pasted) == "0000-0002-1825-0097"


def test_a_lower_case_check_x_is_normalized_to_upper_case():
    assert normalize_orcid("0000-0002-1694-233x") == "0000-0002-1694-233X"


def test_social_links_must_point_at_their_network():
    validate_bluesky_url("https://bsky.app/profile/someone.example")
    validate_linkedin_url("https://www.linkedin.com/in/someone")
    for validate, url in [
        (validate_bluesky_url, "https://evil.example/bsky.app"),
        (validate_linkedin_url, "https://linkedin.com.evil.example/in/x"),
        (validate_linkedin_url, "javascript:alert(1)//linkedin.com"),
    ]:
        with pytest.raises(ValidationError):
            validate(url)
