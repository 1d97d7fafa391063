"""The never-prescribe checker: instructions about amounts match, literature reports do not."""

from __future__ import annotations

import pytest

from speciosa.knowledge.language import recommends_amount


@pytest.mark.parametrize(
    "text",
    [
        "take 3 g",  # the canonical instruction from the brief
        "Take 5 grams before bed",  # unit spelled out, capitalised
        "You should take about 2.5 g in the evening",  # hedged amount, decimal
        "a dose of 4 g works well",  # "dose of N g"
        "4-6 g is ideal for sleep",  # range + ideal (hyphen)
        "3–5 g is the best range",  # range + best (en dash)
        "2 to 4 grams is safe",  # range with "to"
        "Start with 2 g and see how you feel",  # start with
        "beginners can start at 1 gram",  # start at
        "Increase to 6 g if needed",  # increase to
        "then increase by 1 g every week",  # increase by
        "try two capsules",  # number word + capsules
        "Try 1 teaspoon in tea",  # teaspoon
        "do not exceed 10 g a day",  # a limit is still an amount Speciosa must not set
        "the recommended dose is 2 grams",  # recommended dose
        "the ideal serving size is 3 g",  # ideal serving size
        "we recommend 4 capsules",  # we recommend N
    ],
)
def test_instructions_about_amounts_match(text: str) -> None:
    assert recommends_amount(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        "surveys report 1–3 g as the most common dose",  # the brief's literature example
        "1–5 g leaf: mild stimulant effects reported",  # a reference.yaml-style band
        "Huestis 2024 gave 500–4000 mg dried leaf powder",  # a study's research doses
        "A single 2 g dose raised midazolam AUC 1.39-fold",  # Tanna 2023 finding
        "GI effects appeared mostly at 5 g or more per dose",  # Grundmann 2017 finding
        "Start with a low dose and increase gradually",  # the guides' advice, no amount
        "Pain is 2.0 points (33%) lower than the baseline.",  # an instrument text
        "Eight products contained 3.9–62.1 mg mitragynine per gram",  # Prozialeck 2020
        "",  # empty text
    ],
)
def test_literature_and_plain_text_do_not_match(text: str) -> None:
    assert recommends_amount(text) is None


def test_result_names_the_rule_and_quotes_the_text() -> None:
    assert recommends_amount("please take 3 g now") == "take an amount: 'take 3 g'"
