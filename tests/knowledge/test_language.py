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
        "Pain is 2.0 points (33%) lower than the baseline.",  # an instrument text
        "Eight products contained 3.9–62.1 mg mitragynine per gram",  # Prozialeck 2020
        "",  # empty text
    ],
)
def test_literature_and_plain_text_do_not_match(text: str) -> None:
    assert recommends_amount(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "take a small amount",  # the brief's examples of advice without a number
        "increase gradually",
        "a teaspoon before bed",
        "start with a low dose",
        "Start with a low dose and increase gradually",  # the guides' advice
        "Start low to assess tolerance and increase gradually as needed.",  # seed 002 tip
        "New users should start with a low dose and gradually increase it as needed.",
        "It is best to start with small amounts.",  # infinitive after "best to"
        "For sleep, take a small amount before bed.",  # instruction after a comma
        "Increase the dose if the effect fades.",
        "Increase it slowly as needed",
        "Always adhere to recommended serving sizes.",  # seed 000
        "never exceed the recommended dose",
        "Opt for lower doses of kratom close to bedtime.",  # seed 003
        "Keep amounts low and drink water.",
        "Use the lowest effective dose.",
        "Try a teaspoon in tea",
        "a capsule in the evening works well",
        "you should start small",
    ],
)
def test_advice_about_amount_without_a_number_matches(text: str) -> None:
    assert recommends_amount(text) is not None, text


@pytest.mark.parametrize(
    "text",
    [
        "your logged amount",  # Speciosa's own neutral words
        "Log the amount you took, in grams, capsules or teaspoons.",
        "The amount you logged today is higher than your 4-week average.",
        "A gradual increase in grams per day can be a sign of tolerance.",
        "Tolerance gradually increases with daily use.",  # a report, not an instruction
        "Doses increase gradually over months in many regular users.",
        "People who use larger amounts reported more constipation.",
        "For new users, the guide advises starting with small amounts.",  # a report (gerund)
        "The guide advises starting with a low dose and increasing it gradually as needed.",
        "Starting with a low dose and increasing it gradually is a safe way to find the right "
        "amount.",  # a claim shown with its verdict
        "The guide says keeping to recommended serving sizes avoids adverse reactions.",
        "The guide says a small amount at bedtime eases tension without a lingering buzz.",
        "Set how many grams a teaspoon of this product holds.",  # product setup
        "Dose frequency predicts withdrawal better than grams.",
        "Increase the dose frequency only with your clinician.",  # frequency, not an amount
    ],
)
def test_neutral_words_and_reports_without_a_number_do_not_match(text: str) -> None:
    assert recommends_amount(text) is None, (text, recommends_amount(text))


def test_result_names_the_rule_and_quotes_the_text() -> None:
    assert recommends_amount("please take 3 g now") == "take an amount: 'take 3 g'"
    assert recommends_amount("Then, start low.") == "start low: 'start low'"
