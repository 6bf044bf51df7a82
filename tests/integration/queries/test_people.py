"""Who "@" offers while a comment is typed, and whom a sent comment mentions: active people by name, never by
email; the longest name wins where one name begins another."""

from burden_tracker.queries.people import mentioned_in, people_to_mention
from tests.support.factories import make_user


def test_the_list_offers_active_people_whose_name_begins_with_what_was_typed(session):
    make_user(session, name="Priya Nair, RN", email="priya@hospital.test")
    make_user(session, name="Anand Priyadarshi")
    make_user(session, name="Priya Gone", active=False)
    make_user(session, name="", email="priyanka@hospital.test")
    assert [name for _, name in people_to_mention(session=session, typed="pri")] == [
        "Anand Priyadarshi", "Priya Nair, RN"]
    assert people_to_mention(session=session, typed="%") == [] and people_to_mention(session=session, typed="") == []


def test_a_comment_mentions_the_longest_name_it_holds_and_ignores_case(session):
    ana, ana_lee = make_user(session, name="Ana"), make_user(session, name="Ana Lee")
    other = make_user(session, name="Sam Rivera")
    assert mentioned_in(session=session, text="Thanks @ana lee, and @SAM RIVERA.") == {ana_lee.id, other.id}
    assert mentioned_in(session=session, text="@Ana and @Ana Lee") == {ana.id, ana_lee.id}
    assert mentioned_in(session=session, text="ana@hospital.test wrote") == set()
    assert mentioned_in(session=session, text="@Anabel, is it yours?") == set(), "whole names only"
