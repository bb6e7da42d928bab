"""Results by area and month: shares and distributions, small groups withheld, and no withheld group that
subtraction from a total could give back."""

import datetime as dt

import pytest
from django.urls import reverse

from candour.voice import measures
from candour.voice.queries import results
from tests.support.small_numbers import given_away
from tests.voice.conftest import TODAY, fill, many

NOV = dt.date(2026, 11, 1)
OCT = dt.date(2026, 10, 1)
AGREE, DISAGREE, STRONGLY_AGREE = 4, 2, 5


def _informed(choice, listen=2):
    return {"voice.kept_informed": choice, "voice.leaders_listen": listen}


# The rule: core.suppression, with the areas beside the trust's count, their total


@pytest.mark.parametrize(
    ("counts", "hidden"),
    [
        ({"a": 12, "b": 9, "c": 7}, set()),
        ({"a": 12, "b": 9, "c": 3}, {"c", "b"}),  # one small group: the next smallest goes too
        # Two small groups beside a total that leaves 5 for them would tell that both are small: a third goes.
        ({"a": 12, "b": 2, "c": 3}, {"a", "b", "c"}),
        ({"a": 12, "b": 0, "c": 3}, {"c", "a"}),  # none is shown as none, so it cannot protect c
        ({"a": 4}, {"a", measures.TRUST}),
    ],
)
def test_a_hidden_area_takes_enough_with_it_that_the_trusts_count_gives_nothing_away(
    settings, counts, hidden
):
    settings.CANDOUR_SMALL_NUMBER_THRESHOLD = 5

    assert measures.withheld(counts) == hidden
    values, totals = {**counts, measures.TRUST: sum(counts.values())}, [(measures.TRUST, list(counts))]
    assert given_away(values, totals, hidden) == {}


def test_the_threshold_is_a_setting(settings):
    settings.CANDOUR_SMALL_NUMBER_THRESHOLD = 3

    assert measures.withheld({"a": 12, "b": 9, "c": 3}) == set()


def _results_as_read(pulse, voice_trust, truth: dict) -> tuple[dict, list, set]:
    """What a reader of a pulse's results can reason with: each area's count by month (one area at a time),
    each month's and each area's count, and everyone's; each a sum of the others."""
    areas = {"North": voice_trust.north, "South": voice_trust.south, "West": voice_trust.west}
    whole = results(pulse).questions[0]
    shown = {("all",): whole.overall.responses}
    shown |= {("column", group.label): group.responses for group in whole.by_area if group.label in areas}
    shown |= {("row", group.label): group.responses for group in whole.by_month}
    for name, area in areas.items():
        for group in results(pulse, area=area).questions[0].by_month:
            shown[("cell", group.label, name)] = group.responses
    months = [group.label for group in whole.by_month]
    totals = [(("row", m), [("cell", m, a) for a in areas]) for m in months]
    totals += [(("column", a), [("cell", m, a) for m in months]) for a in areas]
    totals += [(("all",), [("row", m) for m in months]), (("all",), [("column", a) for a in areas])]
    return {key: truth[key] for key in shown}, totals, {key for key, n in shown.items() if n is None}


def test_no_hidden_count_of_a_pulses_results_can_be_worked_out_from_what_is_shown(voice_trust):
    pulse = voice_trust.pulse(opens_on=TODAY, closes_on=TODAY + dt.timedelta(days=20))
    pulse.opens_on = OCT + dt.timedelta(days=20)
    pulse.save()
    made = {("October 2026", "North"): 8, ("October 2026", "South"): 3, ("October 2026", "West"): 6}
    made |= {("November 2026", "North"): 9, ("November 2026", "South"): 7, ("November 2026", "West"): 2}
    areas = {"North": voice_trust.north, "South": voice_trust.south, "West": voice_trust.west}
    for (month, area), n in made.items():
        fill(pulse, many(n, areas[area], OCT if month.startswith("Oct") else NOV, _informed(AGREE)))
    truth = {("cell", m, a): n for (m, a), n in made.items()}
    for month in ("October 2026", "November 2026"):
        truth[("row", month)] = sum(n for (m, _), n in made.items() if m == month)
    for area in areas:
        truth[("column", area)] = sum(n for (_, a), n in made.items() if a == area)
    truth[("all",)] = sum(made.values())

    values, totals, hidden = _results_as_read(pulse, voice_trust, truth)

    assert ("cell", "October 2026", "South") in hidden and ("cell", "November 2026", "West") in hidden
    assert given_away(values, totals, hidden) == {}


def test_months_are_put_together_when_one_would_be_all_hidden(voice_trust, client_for):
    pulse = voice_trust.pulse(opens_on=TODAY, closes_on=TODAY + dt.timedelta(days=20))
    pulse.opens_on = OCT + dt.timedelta(days=20)
    pulse.save()
    fill(
        pulse,
        many(8, voice_trust.north, OCT, _informed(AGREE)) + many(6, voice_trust.south, OCT, _informed(AGREE)),
    )
    fill(
        pulse,
        many(2, voice_trust.north, NOV, _informed(AGREE)) + many(1, voice_trust.south, NOV, _informed(AGREE)),
    )

    whole = results(pulse).questions[0]
    page = client_for(voice_trust.lead).get(
        reverse("voice:show_results", kwargs={"pulse_id": pulse.public_id})
    )

    assert whole.by_month == []
    assert {group.label: group.responses for group in whole.by_area}["North"] == 10
    assert whole.overall.responses == 17 and whole.overall.favourable == 100
    assert "Not shown by month" in page.text


# A pulse's results


def test_shares_favourable_and_the_distribution_for_each_question(voice_trust):
    pulse = voice_trust.pulse()
    fill(
        pulse,
        many(6, voice_trust.north, NOV, _informed(AGREE))
        + many(2, voice_trust.north, NOV, _informed(STRONGLY_AGREE))
        + many(12, voice_trust.south, NOV, _informed(DISAGREE)),
    )

    found = results(pulse)
    informed = next(q for q in found.questions if q.question.measure_key == "voice.kept_informed")

    assert found.summary.responses == 20
    assert informed.overall.favourable == pytest.approx(40)
    assert dict(informed.overall.distribution) == pytest.approx(
        {
            "Strongly agree": 10,
            "Agree": 30,
            "Neither agree nor disagree": 0,
            "Disagree": 60,
            "Strongly disagree": 0,
        }
    )
    by_area = {group.label: group for group in informed.by_area}
    assert by_area["North"].favourable == 100 and by_area["North"].responses == 8
    assert by_area["South"].favourable == 0 and by_area["South"].responses == 12
    assert by_area["West"].responses == 0


def test_an_area_with_fewer_than_five_is_withheld_with_the_next_smallest(voice_trust):
    pulse = voice_trust.pulse()
    fill(
        pulse,
        many(9, voice_trust.north, NOV, _informed(AGREE))
        + many(6, voice_trust.south, NOV, _informed(AGREE))
        + many(3, voice_trust.west, NOV, _informed(DISAGREE)),
    )

    informed = results(pulse).questions[0]
    by_area = {group.label: group for group in informed.by_area}

    assert by_area["West"].responses is None and by_area["West"].favourable is None
    assert by_area["West"].withheld == "small"
    # Otherwise 18 - 9 - 6 would give West's 3 back.
    assert by_area["South"].responses is None and by_area["South"].withheld == "protecting"
    assert by_area["North"].responses == 9
    assert informed.overall.responses == 18


def test_months_are_withheld_the_same_way_and_one_area_by_month_follows_the_whole_table(voice_trust):
    pulse = voice_trust.pulse(opens_on=TODAY, closes_on=TODAY + dt.timedelta(days=20))
    pulse.opens_on = OCT + dt.timedelta(days=20)
    pulse.save()
    fill(
        pulse,
        many(8, voice_trust.north, OCT, _informed(AGREE))
        + many(3, voice_trust.south, OCT, _informed(AGREE))
        + many(9, voice_trust.north, NOV, _informed(AGREE))
        + many(7, voice_trust.south, NOV, _informed(DISAGREE)),
    )

    whole = results(pulse).questions[0]
    north = results(pulse, area=voice_trust.north).questions[0]

    assert [g.responses for g in whole.by_month] == [11, 16]
    assert [g.responses for g in north.by_month] == [None, None]
    assert north.overall.responses == 17


def test_when_fewer_than_five_have_answered_nothing_is_shown(voice_trust, client_for):
    pulse = voice_trust.pulse()
    fill(pulse, many(4, voice_trust.north, NOV, _informed(AGREE)))

    found = results(pulse)
    page = client_for(voice_trust.lead).get(
        reverse("voice:show_results", kwargs={"pulse_id": pulse.public_id})
    )

    assert found.summary.responses is None and found.questions[0].overall.responses is None
    assert "Results are shown once 5 or more people have answered" in page.text
    assert "Fewer than 5" in page.text


def test_comments_are_shown_for_five_or_more_without_where_or_when(voice_trust, client_for):
    pulse = voice_trust.pulse()
    fill(pulse, many(5, voice_trust.north, NOV, _informed(AGREE)), text="Rotas change at the last minute")
    fill(pulse, many(3, voice_trust.south, NOV, _informed(AGREE)), text="Nobody from the board visits")

    whole = results(pulse).free_text
    north = results(pulse, area=voice_trust.north).free_text
    south = results(pulse, area=voice_trust.south).free_text

    assert (
        sorted(whole.texts) == ["Nobody from the board visits"] * 3 + ["Rotas change at the last minute"] * 5
    )
    # North alone has 5, but the rest (South) has 3: comparing with the whole would single South's out.
    assert north.texts == [] and "in the other areas together" in north.withheld
    assert south.texts == [] and south.withheld


def test_comments_for_one_area_are_shown_when_it_and_the_rest_are_both_big_enough(voice_trust):
    pulse = voice_trust.pulse()
    fill(pulse, many(5, voice_trust.north, NOV, _informed(AGREE)), text="North says")
    fill(pulse, many(6, voice_trust.south, NOV, _informed(AGREE)), text="South says")

    assert results(pulse, area=voice_trust.north).free_text.texts == ["North says"] * 5


def test_the_results_page_shows_the_response_rate_and_never_a_small_number(voice_trust, client_for):
    pulse = voice_trust.pulse()
    fill(
        pulse,
        many(9, voice_trust.north, NOV, _informed(AGREE))
        + many(6, voice_trust.south, NOV, _informed(AGREE))
        + many(3, voice_trust.west, NOV, _informed(DISAGREE)),
    )

    page = client_for(voice_trust.lead).get(
        reverse("voice:show_results", kwargs={"pulse_id": pulse.public_id})
    )

    assert page.status_code == 200
    assert "Fewer than 5" in page.text
    assert "Not shown, to protect a smaller group" in page.text
    assert ">3<" not in page.text.replace(" ", "").replace("\n", "")
    assert "Over time, in every pulse that asked it" in page.text


def test_someone_who_reads_results_for_one_area_sees_only_that_area(voice_trust, client_for):
    pulse = voice_trust.pulse()
    fill(
        pulse,
        many(6, voice_trust.north, NOV, _informed(AGREE)) + many(7, voice_trust.south, NOV, _informed(2)),
    )
    client = client_for(voice_trust.north_manager)
    url = reverse("voice:show_results", kwargs={"pulse_id": pulse.public_id})

    page = client.get(url)
    asking_for_south = client.get(url, {"area": str(voice_trust.south.public_id)})

    assert "Results for North" in page.text and "By area" not in page.text
    assert "Results for North" in asking_for_south.text
