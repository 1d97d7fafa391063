"""The entry forms and Settings on a phone (390x844, Debian's Chromium), counting taps:
an untouched form refuses to submit and moves focus to the first error, choices are pickers
and 0-10 chips, a questionnaire asks one question per screen, an implausible amount asks
"did you mean ...?", Settings keeps every edit when one value is wrong; axe-core finds no
serious or critical problem on these pages (light and dark). Screenshots land in
artifacts/screenshots/.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.factories import RED
from tests.web.chromium import AXE_DEFAULT, launch, missing, phone_page, serve, shot

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real app with a limit of 8 g a day, a capsule product and one pain entry."""
    with serve(tmp_path_factory.mktemp("forms") / "journal.sqlite") as base:
        with httpx.Client(base_url=base) as client:
            client.put("/api/v1/profile", json={"timezone": "UTC", "limits": {"grams_per_day": 8}})
            client.post("/api/v1/products", json=RED.model_dump(mode="json"))
            client.post("/api/v1/entries", json={"kind": "pain", "score": 3, "at": "1 h ago"})
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launch() as launched:
        yield launched


@pytest.fixture
def phone(browser: Any, server: str) -> Iterator[Any]:
    with phone_page(browser, server) as page:
        yield page


@pytest.fixture(scope="module")
def axe_script() -> Path:
    if not AXE_DEFAULT.exists():
        missing(f"axe-core is not at {AXE_DEFAULT} (make test-assets)")
    return AXE_DEFAULT


class Taps:
    """Taps on a page, counted (typing into a field is not a tap)."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.count = 0

    def __call__(self, selector: str) -> None:
        self.page.locator(selector).first.tap()
        self.count += 1


def _focused_id(page: Any) -> str:
    return str(page.evaluate("() => document.activeElement && document.activeElement.id"))


def test_an_untouched_bowel_form_refuses_and_focuses_the_picker(phone: Any) -> None:
    tap = Taps(phone)
    phone.goto("/log/bowel")
    assert phone.locator("input[name=bristol]:checked").count() == 0
    tap("button:has-text('Log bowel')")
    error = phone.locator("#bristol-error")
    error.wait_for()
    assert error.inner_text() == "Bristol type: choose one"
    assert _focused_id(phone) == "f-bristol-1"  # focus moved to the first error
    assert "/log/bowel" in phone.url  # nothing was stored
    tap("label[for=f-bristol-4]")
    tap("button:has-text('Log bowel')")
    phone.wait_for_url("**/?logged=*")
    assert "Bristol type 4" in phone.get_by_role("status").first.inner_text()
    assert tap.count == 3


def test_an_untouched_side_effect_refuses_instead_of_choosing_nausea(phone: Any) -> None:
    phone.goto("/log/side_effect")
    assert phone.locator("#f-symptom").input_value() == ""
    phone.get_by_role("button", name="Log side effect").tap()
    phone.locator("#symptom-error").wait_for()
    assert phone.locator("#symptom-error").inner_text() == "Symptom: choose one"
    assert _focused_id(phone) == "f-symptom"


def test_pain_is_two_taps_on_chips_and_keyboard_works(phone: Any) -> None:
    tap = Taps(phone)
    phone.goto("/log/pain")
    for chip in phone.locator(".chip label").all():
        box = chip.bounding_box()
        assert box["width"] >= 44
        assert box["height"] >= 44
    phone.locator("#f-score-0").focus()
    phone.keyboard.press("ArrowRight")
    assert phone.locator("#f-score-1").is_checked()
    tap("#f-score-6")
    tap("button:has-text('Log pain')")
    phone.wait_for_url("**/?logged=*")
    assert "6/10" in phone.get_by_role("status").first.inner_text()
    assert tap.count == 2


def test_a_questionnaire_asks_one_question_per_screen(phone: Any) -> None:
    tap = Taps(phone)
    phone.goto("/log/questionnaire")
    tap("a:has-text('Severity of Dependence Scale')")
    phone.wait_for_url("**/log/questionnaire?instrument=sds")
    steps = phone.locator("fieldset.step")
    assert steps.count() == 5
    for n in range(1, 6):
        visible = [i for i in range(5) if steps.nth(i).is_visible()]
        assert visible == [n - 1], visible  # one question on the screen
        submit = phone.get_by_role("button", name="Log questionnaire")
        assert submit.is_visible() == (n == 5)  # the form is sent from the last question
        assert phone.get_by_role("button", name="Back").is_visible() == (n > 1)
        if n == 1:
            shot(phone, "form-questionnaire-step-light")
        tap(f"#f-item-{n}-1")
        if n < 5:
            phone.locator(f"#step-{n + 1}").wait_for(state="visible")
    tap("button:has-text('Log questionnaire')")
    phone.wait_for_url("**/?logged=*")
    assert tap.count == 7  # choose, five answers, log


def test_an_implausible_amount_asks_did_you_mean(phone: Any) -> None:
    tap = Taps(phone)
    phone.goto("/log/dose")
    phone.locator("#f-amount").fill("300g")
    phone.locator("#f-note").fill("after lunch")
    tap("button:has-text('Log dose')")
    box = phone.locator("#amount-check")
    box.wait_for()
    assert "Did you mean 3 g or 0.3 g?" in box.inner_text()
    assert _focused_id(phone) == ""  # the first answer button, which keeps 300 g, has focus
    assert phone.evaluate("() => document.activeElement.value") == "300 g"
    assert phone.locator("#f-note").input_value() == "after lunch"
    shot(phone, "form-dose-did-you-mean-light")
    tap("button[name=use_amount][value='3 g']")
    phone.wait_for_url("**/?logged=*")
    assert "3 g" in phone.get_by_role("status").first.inner_text()
    assert tap.count == 2


def test_settings_with_one_bad_value_keeps_the_other_edits(phone: Any, server: str) -> None:
    tap = Taps(phone)
    phone.goto("/settings")
    phone.locator("#timezone").fill("America/Chicago")
    phone.locator("#bedtime").fill("22:30")
    phone.locator("#grams_per_day").fill("6")
    phone.locator("#use_days_per_week").fill("9")
    phone.locator("#birth_year").fill("1970")
    tap("label[for=c-migraine]")
    tap("button:has-text('Save profile')")
    error = phone.locator("#use_days_per_week-error")
    error.wait_for()
    assert error.inner_text() == "Use days per week must be 7 or less"
    assert _focused_id(phone) == "use_days_per_week"
    assert phone.locator("#timezone").input_value() == "America/Chicago"
    assert phone.locator("#bedtime").input_value() == "22:30"
    assert phone.locator("#grams_per_day").input_value() == "6"
    assert phone.locator("#birth_year").input_value() == "1970"
    assert phone.locator("#c-migraine").is_checked()
    shot(phone, "settings-one-bad-value-light")
    phone.locator("#use_days_per_week").fill("5")
    tap("button:has-text('Save profile')")
    phone.wait_for_url("**/settings?saved=1")
    assert phone.locator("#timezone").input_value() == "America/Chicago"
    assert phone.locator("#use_days_per_week").input_value() == "5"
    assert tap.count == 3
    with httpx.Client(base_url=server) as client:  # the shared server as it was
        client.put("/api/v1/profile", json={"timezone": "UTC", "limits": {"grams_per_day": 8}})


def _untouched(path: str, button: str) -> Callable[[Any], None]:
    def drive(page: Any) -> None:
        page.goto(path)
        page.get_by_role("button", name=button).tap()
        page.locator(".field-error").first.wait_for()

    return drive


def _asking(page: Any) -> None:
    page.goto("/log/dose")
    page.locator("#f-amount").fill("300g")
    page.get_by_role("button", name="Log dose").tap()
    page.locator("#amount-check").wait_for()


def _settings_refused(page: Any) -> None:
    page.goto("/settings")
    page.locator("#use_days_per_week").fill("9")
    page.locator("#bedtime").fill("25:00")
    page.get_by_role("button", name="Save profile").tap()
    page.locator("#use_days_per_week-error").wait_for()


def _goto(path: str) -> Callable[[Any], None]:
    return lambda page: page.goto(path)


STATES: dict[str, Callable[[Any], None]] = {
    "form-bowel": _goto("/log/bowel"),
    "form-bowel-untouched": _untouched("/log/bowel", "Log bowel"),
    "form-pain": _goto("/log/pain"),
    "form-pain-untouched": _untouched("/log/pain", "Log pain"),
    "form-fatigue": _goto("/log/fatigue"),
    "form-soreness": _goto("/log/soreness"),
    "form-headache": _goto("/log/headache"),
    "form-side-effect": _goto("/log/side_effect"),
    "form-side-effect-untouched": _untouched("/log/side_effect", "Log side effect"),
    "form-questionnaire-choose": _goto("/log/questionnaire"),
    "form-questionnaire-peg": _goto("/log/questionnaire?instrument=peg"),
    "form-dose": _goto("/log/dose"),
    "form-dose-did-you-mean": _asking,
    "form-edit-entry": _goto("/entries/1/edit"),
    "history": _goto("/history"),
    "settings": _goto("/settings"),
    "settings-refused": _settings_refused,
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_forms_pass_axe_and_are_photographed(
    browser: Any, server: str, axe_script: Path, scheme: str
) -> None:
    problems: dict[str, list[str]] = {}
    # The app's CSP forbids injected scripts; only this checking browser may bypass it.
    with phone_page(browser, server, bypass_csp=True, color_scheme=scheme) as page:
        for name, drive in STATES.items():
            drive(page)
            shot(page, f"{name}-{scheme}")
            problems |= _axe(page, axe_script, name)
    assert not problems, problems


def _axe(page: Any, axe_script: Path, name: str) -> dict[str, list[str]]:
    page.add_script_tag(path=str(axe_script))
    result = page.evaluate("async () => await axe.run(document)")
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    return {name: bad} if bad else {}
