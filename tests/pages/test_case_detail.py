import datetime
import re

import pytest

from cases.models import CustodyStatus, Disposition, EventKind, Plea
from cases.timeline import case_timeline
from casetracker.publication import Publication
from tests import factories as f
from tests.pages.crook import build_crook_case
from tests.publishing import publish_all

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def crook():
    return build_crook_case()


def page(client, slug="ms13-ranfla-historica-edny"):
    response = client.get(f"/cases/{slug}/")
    assert response.status_code == 200
    return response.content.decode()


def text(html):
    """The page's visible words, tags and runs of white space dropped."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_case_at_a_glance(client, crook):
    html = page(client)
    words = text(html)
    assert "<h1" in html and html.count("<h1") == 1
    assert "MS13 Ranfla histórica terrorism case (E.D.N.Y.)" in words
    assert "Awaiting trial" in words
    assert "the case has not gone to trial yet" in words
    assert "U.S. District Court for the Eastern District of New York (E.D.N.Y.)" in words
    assert "Docket number Not known" in words
    assert "14 2 named in our sources" in words
    assert "12 other defendants are not named in our sources." in words
    # Crook: alias, plea and where he is held
    assert "Also known as “Crook”" in words
    assert "Plea Not guilty Arraignment, 8 December 2023" in words
    assert "Custody Detained pending trial United States of America, since c. 9 November 2023" in (
        words
    )
    # his co-defendant, of whom nothing more is known
    assert "Borromeo Enrique Henriquez" in words
    assert "No plea recorded" in words


def test_charges_by_defendant_with_their_disposition(client, crook):
    f.ChargeFactory(
        document=crook.indictment,
        defendant=crook.defendant,
        count_number=3,
        description="Racketeering conspiracy",
        category="racketeering",
        disposition=Disposition.DISMISSED,
        disposition_date=D(2024, 2, 1),
        disposition_date_precision="month",
    )
    publish_all()
    words = text(page(client))
    charges = words[words.index("Charges Élmer Canales Rivera") :]
    assert "Narco-terrorism" in charges
    assert "Conspiracy to provide material support to terrorists" in charges
    assert "Pending" in charges
    assert "Count 3 Racketeering conspiracy" in charges
    assert "Dismissed February 2024" in charges
    assert "Indictment, December 2020" in charges


def test_extradition_and_its_outcome(client, crook):
    words = text(page(client))
    assert "Requested by United States of America from El Salvador" in words
    assert "Refused by Government of El Salvador" in words


def test_the_timeline_in_date_order_with_partial_dates(client, crook):
    html = page(client)
    timeline = html[html.index('id="timeline-heading"') :]
    dates = re.findall(r'<time datetime="([^"]+)">([^<]+)</time>', timeline)
    shown = [display for _iso, display in dates]
    assert shown[:6] == [
        "December 2020",
        "c. 2021",
        "9 November 2023",
        "c. 9 November 2023",
        "c. 9 November 2023",
        "8 December 2023",
    ]
    assert ("2020-12", "December 2020") in dates
    assert ("2021", "c. 2021") in dates
    words = text(timeline)
    assert "Arraignment Central Islip, New York" in words
    assert "Élmer Canales Rivera pleaded not guilty." in words
    assert "Initial appearance Houston, Texas United States of America" in words


def test_each_fact_links_to_its_source_notes_and_the_source_list(client, crook):
    html = page(client)
    timeline = html[html.index('id="timeline-heading"') : html.index('id="notes-heading"')]
    refs = re.findall(r'href="#note-(\d+)"', timeline)
    assert refs, "timeline items carry note references"
    notes = html[html.index('id="notes-heading"') :]
    for number in refs:
        assert f'id="note-{number}"' in notes
    assert "entered the plea during his December 8 arraignment" in text(notes)
    sources = html[html.index('id="sources-heading"') :]
    assert text(sources).count("US Terrorism Trial of MS13 Leader") == 1
    assert "InSight Crime" in text(sources)
    assert '<time datetime="2023-12-11">11 December 2023</time>' in sources
    assert 'href="https://news.example.org/' in sources


def test_links_to_the_data(client, crook):
    html = page(client)
    assert 'href="/api/v1/cases/ms13-ranfla-historica-edny/"' in html
    assert 'href="/api/v1/cases/ms13-ranfla-historica-edny/timeline/?format=timelinejs"' in html
    assert 'href="/api/v1/calendar.ics?case=ms13-ranfla-historica-edny"' in html


def test_the_latest_plea_is_shown(client, crook):
    later = f.CourtEventFactory(
        case=crook.case, kind=EventKind.PLEA_HEARING, date=D(2024, 6, 3), date_precision="day"
    )
    f.AppearanceFactory(event=later, defendant=crook.defendant, plea=Plea.GUILTY)
    publish_all()
    words = text(page(client))
    assert "Plea Guilty Plea hearing, 3 June 2024" in words


def test_a_plea_at_a_draft_hearing_is_not_shown(client, crook):
    draft = f.CourtEventFactory(
        case=crook.case,
        kind=EventKind.PLEA_HEARING,
        date=D(2024, 6, 3),
        date_precision="day",
        publication=Publication.DRAFT,
    )
    f.AppearanceFactory(event=draft, defendant=crook.defendant, plea=Plea.GUILTY)
    publish_all()
    words = text(page(client))
    assert "Plea Not guilty Arraignment, 8 December 2023" in words
    assert "Plea hearing" not in words


def test_custody_shows_the_latest_open_published_record(client, crook):
    f.CustodyRecordFactory(
        person=crook.crook,
        status=CustodyStatus.ESCAPED,
        start_date=D(2024, 1, 1),
        start_date_precision="day",
        publication=Publication.DRAFT,
    )
    publish_all()
    words = text(page(client))
    assert "Custody Detained pending trial" in words
    assert "Escaped" not in words


def test_a_draft_case_is_not_found(client):
    f.CaseFactory(slug="secret-case", publication=Publication.DRAFT)
    f.CaseFactory(slug="withdrawn-case", publication=Publication.WITHDRAWN)
    publish_all()
    assert client.get("/cases/secret-case/").status_code == 404
    assert client.get("/cases/withdrawn-case/").status_code == 404
    assert client.get("/cases/no-such-case/").status_code == 404


def test_drafts_inside_a_published_case_stay_hidden(client, crook):
    secret = f.PersonFactory(name="Secret Defendant", publication=Publication.DRAFT)
    f.DefendantFactory(case=crook.case, person=secret)
    f.AliasFactory(person=crook.crook, name="Hidden Alias", publication=Publication.DRAFT)
    draft_document = f.ChargingDocumentFactory(
        case=crook.case, title="Draft superseding indictment", publication=Publication.DRAFT
    )
    f.ChargeFactory(document=draft_document, defendant=crook.defendant, description="Draft count")
    f.ChargeFactory(
        document=crook.indictment,
        defendant=crook.defendant,
        description="Unreviewed count",
        publication=Publication.IN_REVIEW,
    )
    f.ExtraditionRequestFactory(
        person=crook.crook,
        case=crook.case,
        requested_country="GT",
        publication=Publication.DRAFT,
    )
    draft_source = f.SourceFactory(title="Draft source", publication=Publication.DRAFT)
    f.CitationFactory(record=crook.arraignment, source=draft_source)
    f.CitationFactory(record=crook.case, source=draft_source)
    crook.case.organizations.add(f.OrganizationFactory(name="Draft gang", publication="draft"))
    publish_all()
    words = text(page(client))
    for hidden in (
        "Secret Defendant",
        "Hidden Alias",
        "Draft superseding indictment",
        "Draft count",
        "Unreviewed count",
        "Guatemala",
        "Draft source",
        "Draft gang",
    ):
        assert hidden not in words
    # the hidden defendant still counts among the 14, as an unnamed one
    assert "12 other defendants are not named in our sources." in words


def test_a_draft_court_is_not_named(client, crook):
    crook.court.publication = Publication.DRAFT
    crook.court.save()
    publish_all()
    words = text(page(client))
    assert "Eastern District" not in words
    assert "Court Not known" in words


def test_the_page_has_a_title_description_canonical_url_and_open_graph_tags(client, crook):
    html = page(client)
    assert "<title>MS13 Ranfla histórica terrorism case (E.D.N.Y.) · casetracker</title>" in html
    assert '<meta name="description" content="US federal prosecutors charged 14' in html
    assert (
        '<link rel="canonical" href="http://testserver/cases/ms13-ranfla-historica-edny/">' in html
    )
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:title" content="MS13 Ranfla histórica terrorism case' in html
    assert 'href="/static/css/print.css" media="print"' in html


def add_defendants(case, count):
    for n in range(count):
        person = f.PersonFactory()
        f.AliasFactory(person=person)
        defendant = f.DefendantFactory(case=case, person=person)
        f.CustodyRecordFactory(person=person)
        document = f.ChargingDocumentFactory(case=case)
        f.ChargeFactory(document=document, defendant=defendant)
        event = f.CourtEventFactory(case=case, date=D(2024, 1, 1 + n))
        f.AppearanceFactory(event=event, defendant=defendant)
        f.CitationFactory(record=event)
        f.ExtraditionRequestFactory(person=person, case=case)
        case.organizations.add(f.OrganizationFactory())


def test_the_query_count_does_not_grow_with_the_rows(client, django_assert_num_queries):
    small = f.CaseFactory(slug="small")
    add_defendants(small, 3)
    large = f.CaseFactory(slug="large")
    add_defendants(large, 12)
    publish_all()
    # savepoints 2; case and court 1; defendants, aliases, custody, pleas, charges 5; extradition
    # and organizations 2; timeline items, the people they name, their aliases, citations 4;
    # the page's citations 1
    with django_assert_num_queries(15) as small_queries:
        page(client, "small")
    with django_assert_num_queries(len(small_queries.captured_queries)):
        html = page(client, "large")
    assert text(html).count("Also known as") == 12


def test_citations_of_the_same_passage_share_one_note(client, crook):
    quote = "US prosecutors indicted Crook and 13 other MS13 leaders"
    for charge in crook.defendant.charges.all():
        f.CitationFactory(record=charge, source=crook.article, quote=quote)
    f.CitationFactory(record=crook.indictment, source=crook.article, quote=quote)
    publish_all()
    html = page(client)
    notes = html[html.index('id="notes-heading"') :]
    assert text(notes).count(quote) == 1
    number = re.search(rf'<li id="note-(\d+)">\s*<q>{quote}</q>', notes).group(1)
    charges = html[html.index('id="charges-heading"') : html.index('id="extradition-heading"')]
    assert charges.count(f'href="#note-{number}"') == 2


def test_a_case_with_little_known_still_reads_well(client):
    f.CaseFactory(slug="bare", title="A case we know little about", court=None, summary="")
    publish_all()
    words = text(page(client, "bare"))
    assert "Court Not known" in words
    assert "No defendant has been published yet." in words
    assert "No dated events have been published yet." in words
    assert "Notes" not in words


def test_the_page_draws_the_timeline_the_api_serves(client, crook):
    """The page hands the timeline the rows it loaded for the defendants; the result must be
    the API's, item for item, with the same people and sources."""
    case = crook.case
    second = f.DefendantFactory(case=case, person=f.PersonFactory(name="Second Defendant"))
    f.AliasFactory(person=second.person, name="Segundo")
    f.ChargeFactory(  # decided: an item
        document=crook.indictment,
        defendant=second,
        disposition=Disposition.DISMISSED,
        disposition_date=datetime.date(2024, 5, 2),
        disposition_date_precision="day",
    )
    f.ChargeFactory(document=crook.indictment, defendant=second)  # pending: no item
    f.ChargeFactory(  # draft: no item
        document=crook.indictment,
        defendant=second,
        disposition=Disposition.CONVICTED,
        disposition_date=datetime.date(2024, 6, 1),
        disposition_date_precision="day",
        publication=Publication.DRAFT,
    )
    f.CustodyRecordFactory(  # undated: no item
        person=second.person, start_date=None, start_date_precision=""
    )
    f.CustodyRecordFactory(
        person=second.person,
        status=CustodyStatus.RELEASED,
        start_date=datetime.date(2024, 7, 1),
        start_date_precision="month",
    )
    f.ExtraditionRequestFactory(  # undated: no item
        person=crook.diablito, case=case, request_date=None, request_date_precision=""
    )
    request = f.ExtraditionRequestFactory(
        person=second.person,
        case=case,
        request_date=None,
        request_date_precision="",
        decision_date=datetime.date(2024, 1, 1),
        decision_date_precision="year",
        status="granted",
    )
    f.CitationFactory(record=request, source=crook.article, quote="extradition granted")
    publish_all()

    drawn = client.get(f"/cases/{case.slug}/").context["timeline"]
    served = case_timeline(case)  # the same-day order too: a cause before its consequence

    def summary(items, key, people):
        return [
            (
                getattr(i, key),
                i.title,
                i.description,
                [p.name for p in getattr(i, people)],
                [p.alias for p in getattr(i, people)],
                [(c.source_id, c.quote) for c in i.sources],
            )
            for i in items
        ]

    # the page reads the published copy's items (`key`, `named`), the API assembles its own
    assert summary(drawn, "key", "named") == summary(served, "id", "people")
    kinds = {item.id.rsplit("-", 1)[0] for item in served}
    assert {"charge_disposed", "custody", "extradition_decided"} <= kinds
    assert "Second Defendant: dismissed" in " ".join(item.title for item in served)
