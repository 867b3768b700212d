"""The admin as an editor sees it, in English and Arabic, at 1,280 and 1,024 px wide.

Nothing an editor clicks or types in is off screen; phone numbers read left to
right on right-to-left pages (as rendered: the digit groups of "+380 68 889 8989"
are laid out left to right); language tabs name each language in its own words.
The pages hold the demo content (``load_demo_content``), as ``make run`` serves it.
"""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from articles.models import Article
from clinic.i18n.languages import get_language
from clinic.models import ContactLine
from tests.browser.conftest import CHROMIUM, CHROMIUM_MISSING, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=CHROMIUM_MISSING),
]

PASSWORD = "layout-test-password-1"  # a throwaway test user
LOCALES = ["en-US", "ar"]
VIEWPORTS = [(1280, 900), (1024, 768)]

#: What an editor can click or type in.
INTERACTIVE = "input:not([type=hidden]), select, textarea, button, a[href], [type=checkbox]"

#: Each interactive element that is rendered (has a box) but lies, even partly, left or
#: right of the viewport: its tag, its name or text, and its horizontal extent.
OFF_SCREEN_SCRIPT = """(selector) => {
  const width = document.documentElement.clientWidth;
  const found = [];
  for (const element of document.querySelectorAll(selector)) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (getComputedStyle(element).visibility === "hidden") continue;
    if (box.left < -0.5 || box.right > width + 0.5) {
      const name = element.id || element.name || element.textContent.trim().slice(0, 30);
      const extent = `${Math.round(box.left)}..${Math.round(box.right)} of ${width}`;
      found.push(`${element.tagName.toLowerCase()} ${name}: ${extent}`);
    }
  }
  return found;
}"""

#: The left and top edges of the boxes of each digit group of ``groups`` in the text of
#: ``element``, in the order the groups are written (reading order of the number).
TEXT_GROUP_LEFTS_SCRIPT = """([element, groups]) => {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    let from = 0;
    const lefts = [];
    for (const group of groups) {
      const start = node.data.indexOf(group, from);
      if (start < 0) break;
      const range = document.createRange();
      range.setStart(node, start);
      range.setEnd(node, start + group.length);
      lefts.push([range.getBoundingClientRect().left, range.getBoundingClientRect().top]);
      from = start + group.length;
    }
    if (lefts.length === groups.length) return lefts;
  }
  return null;
}"""

#: The same for an input: its value laid out in a span with the input's own direction
#: and bidi isolation, placed where the input is (an input's text has no DOM ranges).
INPUT_GROUP_LEFTS_SCRIPT = """([input, groups]) => {
  const style = getComputedStyle(input);
  const probe = document.createElement("span");
  probe.style.direction = style.direction;
  probe.style.unicodeBidi = style.unicodeBidi === "normal" ? "isolate" : style.unicodeBidi;
  probe.style.font = style.font;
  probe.textContent = input.value;
  input.insertAdjacentElement("afterend", probe);
  const range = document.createRange();
  const text = probe.firstChild;
  let from = 0;
  const lefts = [];
  for (const group of groups) {
    const start = text.data.indexOf(group, from);
    range.setStart(text, start);
    range.setEnd(text, start + group.length);
    lefts.push([range.getBoundingClientRect().left, range.getBoundingClientRect().top]);
    from = start + group.length;
  }
  probe.remove();
  return lefts;
}"""


@pytest.fixture
def demo_admin(transactional_db) -> User:
    """The demo content (one article, three contact lines, ...) and a superuser."""
    call_command("load_demo_content", verbosity=0)
    return User.objects.create_superuser("layout", "layout@example.org", PASSWORD)


def log_in(page, user: User) -> None:
    sign_in(page, user.username, PASSWORD)


def first_contact_line() -> ContactLine:
    return ContactLine.objects.order_by("order", "pk").first()


def editor_pages() -> dict[str, str]:
    article = Article.objects.get()
    return {
        "article change page": f"/admin/articles/article/{article.pk}/change/",
        "contact-line change page": f"/admin/clinic/contactline/{first_contact_line().pk}/change/",
        "translation matrix": "/admin/i18n/translationstate/matrix/",
        "article list": "/admin/articles/article/",
    }


def digit_groups(display: str) -> list[str]:
    """``"+380 68 889 8989"`` → ``["+380", "68", "889", "8989"]``."""
    return display.split(" ")


def assert_left_to_right(boxes: list[list[float]] | None, what: str) -> None:
    """The groups are on one line, each right of the one written before it."""
    assert boxes is not None, f"{what}: the number is not in the text"
    lefts = [left for left, _top in boxes]
    assert len({round(top) for _left, top in boxes}) == 1, f"{what}: split across lines {boxes}"
    assert lefts == sorted(lefts) and len(set(lefts)) == len(lefts), (
        f"{what}: digit groups laid out out of order (left edges {lefts})"
    )


@pytest.mark.parametrize(("width", "height"), VIEWPORTS)
@pytest.mark.parametrize("locale", LOCALES)
def test_no_interactive_element_is_off_screen(open_page, demo_admin, locale, width, height):
    page, problems = open_page(locale=locale, width=width, height=height)
    log_in(page, demo_admin)
    off_screen = {}
    for name, path in editor_pages().items():
        page.goto(path)
        page.wait_for_load_state("load")
        found = page.evaluate(OFF_SCREEN_SCRIPT, INTERACTIVE)
        if found:
            off_screen[name] = found
    assert not off_screen, f"off screen at {width}x{height} in {locale}: {off_screen}"
    problems.assert_clean()


@pytest.mark.parametrize("locale", LOCALES)
def test_phone_numbers_read_left_to_right(open_page, demo_admin, locale):
    line = first_contact_line()
    groups = digit_groups(line.display)
    page, problems = open_page(locale=locale)
    log_in(page, demo_admin)

    page.goto(f"/admin/clinic/contactline/{line.pk}/change/")
    number_input = page.locator("#id_number")
    assert number_input.get_attribute("dir") == "ltr"
    assert number_input.evaluate("element => getComputedStyle(element).direction") == "ltr"
    assert_left_to_right(
        page.evaluate(INPUT_GROUP_LEFTS_SCRIPT, [number_input.element_handle(), groups]),
        "the number input",
    )
    for what, selector in [("heading", "#content > h2"), ("breadcrumb", ".breadcrumbs")]:
        element = page.locator(selector)
        assert line.display in element.inner_text()
        isolated = element.locator("bdi", has_text=line.display)
        assert isolated.evaluate("element => getComputedStyle(element).direction") == "ltr"
        assert_left_to_right(
            page.evaluate(TEXT_GROUP_LEFTS_SCRIPT, [element.element_handle(), groups]), what
        )

    page.goto("/admin/clinic/contactline/")
    for contact in ContactLine.objects.all():
        cell = page.locator("#result_list tbody tr", has_text=contact.display).first
        assert_left_to_right(
            page.evaluate(
                TEXT_GROUP_LEFTS_SCRIPT, [cell.element_handle(), digit_groups(contact.display)]
            ),
            f"the contact-line list, {contact.display}",
        )

    page.goto("/admin/i18n/translationstate/matrix/?content_type=contact-lines")
    for contact in ContactLine.objects.all():
        row = page.locator("#result_list tbody th", has_text=contact.display)
        assert_left_to_right(
            page.evaluate(
                TEXT_GROUP_LEFTS_SCRIPT, [row.element_handle(), digit_groups(contact.display)]
            ),
            f"the translation matrix, {contact.display}",
        )
    problems.assert_clean()


@pytest.mark.parametrize("locale", LOCALES)
def test_phone_numbers_read_left_to_right_in_delete_confirmations(open_page, demo_admin, locale):
    line = first_contact_line()
    page, problems = open_page(locale=locale)
    log_in(page, demo_admin)
    confirmations = {
        "delete confirmation": lambda: page.goto(f"/admin/clinic/contactline/{line.pk}/delete/"),
        "delete-selected confirmation": lambda: (
            page.goto("/admin/clinic/contactline/"),
            page.check(f"#result_list input[name=_selected_action][value='{line.pk}']"),
            page.select_option("select[name=action]", "delete_selected"),
            page.click("button[name=index]"),
        ),
    }
    for what, open_confirmation in confirmations.items():
        open_confirmation()
        item = page.locator("#content ul li", has_text=line.display).first
        assert_left_to_right(
            page.evaluate(
                TEXT_GROUP_LEFTS_SCRIPT, [item.element_handle(), digit_groups(line.display)]
            ),
            what,
        )
    problems.assert_clean()


def test_language_tabs_show_native_names_and_the_main_switch_follows_the_active_tab(
    open_page, demo_admin
):
    page, problems = open_page(locale="ar")
    log_in(page, demo_admin)
    page.goto(f"/admin/clinic/contactline/{first_contact_line().pk}/change/")
    tabs = page.locator("#tab_id_label_en").locator("xpath=..").locator(".ui-tabs-nav a")
    names = [get_language(code).name_local for code in ("en", "ar", "uk")]
    assert tabs.all_inner_texts() == names
    # The Arabic admin opens the Arabic tabs, and the switch above the form says so.
    assert page.locator("#tab_id_label_ar").is_visible()
    switch = page.locator("#modeltranslation-main-switch")
    assert switch.evaluate("element => element.selectedOptions[0].textContent") == names[1]
    # Choosing English in the switch opens every English tab.
    switch.select_option(label=names[0])
    assert page.locator("#tab_id_label_en").is_visible()
    problems.assert_clean()


@pytest.mark.parametrize(
    ("locale", "header", "counted"),
    [
        ("en-US", "Clinic content", "characters of 70"),
        ("ar", "محتوى العيادة", "من 70"),
    ],
)
def test_branded_header_favicon_and_live_character_count(
    open_page, demo_admin, locale, header, counted
):
    page, problems = open_page(locale=locale)
    log_in(page, demo_admin)
    assert page.locator("#site-name").inner_text() == header
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(icon).status == 200

    page.goto(f"/admin/articles/article/{Article.objects.get().pk}/change/")
    page.click('a[href="#tab_id_seo_title_en"]')
    seo_title = page.locator("#id_seo_title_en")
    count = page.locator("#id_seo_title_en_charcount")
    seo_title.fill("Stem cells")
    assert count.inner_text().startswith("10 ") or count.inner_text().startswith("10\u00a0")
    assert counted in count.inner_text()
    seo_title.fill("Stem cell therapy")
    assert "17" in count.inner_text()
    problems.assert_clean()


def test_disclaimers_for_every_article_are_shown_attached_not_offered(open_page, demo_admin):
    page, problems = open_page()
    log_in(page, demo_admin)
    page.goto(f"/admin/articles/article/{Article.objects.get().pk}/change/")
    attached = page.locator(".field-attached_disclaimers .readonly")
    assert "treatment-results" in attached.inner_text()
    offered = page.locator("#id_disclaimers_from option, #id_disclaimers_to option")
    assert "treatment-results" not in offered.all_inner_texts()
    problems.assert_clean()
