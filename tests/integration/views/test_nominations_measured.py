"""A retired nomination's page shows what its EHR metric did, beside the estimate: the effect, the hours it
stands for, the chart with its numbers as a table; or why there is no figure."""

import re

from burden_tracker.enums import Role
from tests.support.factories import make_department, make_user
from tests.support.metrics import departments, import_months, retired
from tests.support.web import sign_in


def page_of(client, session, nomination) -> str:
    sign_in(client, make_user(session, Role.STAFF, can_sign_in=True).email)
    answer = client.get(f"/nominations/{nomination.id}")
    assert answer.status_code == 200
    return " ".join(answer.get_data(as_text=True).split())


def test_a_measured_retirement_shows_its_effect_hours_and_chart(client, session):
    ids = departments(session, 10)
    import_months(session, "WOW8", ids, effect={ids[0]: -0.5})
    page = page_of(client, session, retired(session, ids[0]))
    assert "<h2 id=\"measured-heading\">Measured in the EHR</h2>" in page
    assert re.search(r"WOW8 fell by 0\.[45]\d hours per 8 scheduled hours against the other departments", page)
    assert re.search(r"About 1,[0-3]\d\d clinician-hours a year given back, measured \(from [\d,]+ to [\d,]+\), "
                     r"beside the estimate of 2,760", page)
    assert "in the 9 comparison departments" in page
    assert re.search(r'<svg class="chart line-chart"[^>]*role="img"', page)
    assert "<th scope=\"row\">2026-06 (retired)</th>" in page


def test_a_retirement_that_cannot_be_measured_says_why(client, session):
    ids = departments(session, 2)
    import_months(session, "IB-Time8", ids[:1])
    page = page_of(client, session, retired(session, ids[0], metric="IB-Time8"))
    assert "Not measured: no comparison department has every month of both windows." in page


def test_wins_mark_a_measured_retirement_with_its_effect(client, session):
    ids = departments(session, 10)
    import_months(session, "WOW8", ids, effect={ids[0]: -0.5})
    measured = retired(session, ids[0], title="Measured one")
    retired(session, ids[1], metric=None, title="Not linked")
    page_of(client, session, measured)
    wins = " ".join(client.get("/wins").get_data(as_text=True).split())
    marks = re.findall(r'<span class="measured-mark">(.*?)</span>', wins)
    assert len(marks) == 1
    assert re.fullmatch(r"<strong>Measured:</strong> WOW8 fell by 0\.[45]\d hours per 8 scheduled hours, about "
                        r"1,[0-3]\d\d hours a year", marks[0])


def test_the_dashboard_shows_the_share_measured_and_each_departments_trend(client, session):
    ids = departments(session, 10)
    import_months(session, "WOW8", ids, effect={ids[0]: -0.5})
    import_months(session, "WOW8", [make_department(session, "Small unit").id], clinicians=3, seed=3)
    retired(session, ids[0], title="Measured one")
    sign_in(client, make_user(session, Role.EXECUTIVE, can_sign_in=True).email)
    page = " ".join(client.get("/dashboard?quarter=2026-Q3").get_data(as_text=True).split())
    assert re.search(r"1 retirement by 30 September 2026 is measured in hours: <strong>100%</strong> of the hours a "
                     r"year retired, on their estimate\. Measured, they give back about 1,[0-3]\d\d hours a year, "
                     r"against their estimate of 2,760\.", page)
    assert page.count('<figure class="chart-figure"> <figcaption>Department') == 10
    trend = re.search(r'<desc id="trend-1-desc">(.*?)</desc>', page)[1]
    assert "A retirement took effect in June 2026." in trend
    assert "<figcaption>Small unit</figcaption> <p><small>Not shown: in each of these months it counts fewer than 5 " \
           "clinicians" in page, "3 clinicians: never shown on its own"
