"""The header on a role with many sections: its own work comes first, the rest waits under "More", and a
keyboard user who closes "More" with Escape is back on its button (WCAG 2.4.3 focus order)."""

from playwright.sync_api import expect

from candour.people.roles import Role


def test_given_a_quality_lead_when_they_close_more_with_escape_then_focus_is_back_on_its_button(
    journey, make_user
):
    page = journey.page

    # given_a_quality_lead_whose_header_holds_more_sections_than_fit
    journey.sign_in(make_user(Role.QUALITY_LEAD).email)
    menu = page.get_by_role("navigation", name="Menu")
    first = [text.strip() for text in menu.get_by_role("link").all_inner_texts()][:5]
    assert first == ["Harm reviews", "Measures", "CQC framework", "Action plans", "Risks"]
    more = page.locator(".nhsuk-header__menu-toggle")
    expect(more).to_be_visible()

    # when_they_open_more_from_the_keyboard_and_move_into_it
    more.focus()
    page.keyboard.press("Enter")
    expect(more).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Tab")
    expect(more).not_to_be_focused()

    # and_press_escape
    page.keyboard.press("Escape")

    # then_more_is_closed_and_focus_is_back_on_its_button
    expect(more).to_have_attribute("aria-expanded", "false")
    expect(more).to_be_focused()
