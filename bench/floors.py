"""The floors: each endpoint's data fetched by one hand-written SQL query (psycopg), then turned
into the same document with plain Python (`json.dumps`, or string building for pages).

A floor is what the fastest reasonable code could do on this database: one round trip, the
joins and nesting done by PostgreSQL (`json_agg` subqueries), no ORM, no serializers, no
templates. An endpoint's ratio to its floor is the price of the framework and of our own code.
"""

from __future__ import annotations

import base64
import calendar
import datetime
import json
from html import escape

from django_countries import countries

from cases.models import (
    CaseStatus,
    ChargeCategory,
    CustodyStatus,
    DefendantStatus,
    Disposition,
    DocumentKind,
    EventKind,
    EventStatus,
    ExtraditionStatus,
    Plea,
)
from cases.timeline import TimelineKind

P = "'published'"
LABELS = {
    "case_status": dict(CaseStatus.choices),
    "defendant_status": dict(DefendantStatus.choices),
    "category": dict(ChargeCategory.choices),
    "disposition": dict(Disposition.choices),
    "custody": dict(CustodyStatus.choices),
    "extradition": dict(ExtraditionStatus.choices),
    "event": dict(EventKind.choices),
    "event_status": dict(EventStatus.choices),
    "plea": dict(Plea.choices),
    "document": dict(DocumentKind.choices),
    "timeline": dict(TimelineKind.choices),
}
HELD = {"arrested", "detained", "in_prison", "serving_sentence", "transferred"}


# Small shared pieces ---------------------------------------------------------------------------


def pdate(value, precision, approximate) -> dict | None:
    """A partial date as the API writes it."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    month = calendar.month_name[value.month]
    if precision == "year":
        iso, text = f"{value.year:04d}", str(value.year)
    elif precision == "month":
        iso, text = f"{value.year:04d}-{value.month:02d}", f"{month} {value.year}"
    else:
        precision = "day"
        iso, text = value.isoformat(), f"{value.day} {month} {value.year}"
    return {
        "date": iso,
        "precision": precision,
        "approximate": approximate,
        "display": f"c. {text}" if approximate else text,
    }


def country(code) -> dict | None:
    return {"code": code, "name": countries.name(code)} if code else None


def stamp(value) -> str:
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def cites(content_type: int, record: str) -> str:
    """SQL: the published citations of `record` (a table alias), as a JSON array."""
    return f"""(SELECT coalesce(json_agg(json_build_object(
        'id', s.id, 'title', s.title, 'publisher', s.publisher, 'authors', s.authors,
        'date', s.publication_date, 'precision', s.publication_date_precision,
        'approximate', s.publication_date_approximate, 'url', s.url, 'language', s.language,
        'quote', ci.quote, 'page', ci.page) ORDER BY s.title, ci.id), '[]')
      FROM cases_citation ci JOIN cases_source s ON s.id = ci.source_id
      WHERE ci.content_type_id = {int(content_type)} AND ci.object_id = {record}.id
        AND s.publication = {P})"""


def copy_cites(record_type: str, record: str) -> str:
    """SQL: the citations of `record` (a table alias of the published copy) whose source is
    not withdrawn, as a JSON array."""
    return f"""(SELECT coalesce(json_agg(json_build_object(
        'title', s.title, 'publisher', s.publisher, 'quote', ci.quote)
        ORDER BY s.title, ci.id), '[]')
      FROM public_citation ci JOIN public_source s ON s.id = ci.source_id
      WHERE ci.record_type = '{record_type}' AND ci.record_id = {record}.id
        AND NOT s.withdrawn)"""


def sources(rows) -> list[dict]:
    return [
        {
            "source": {
                "id": row["id"],
                "title": row["title"],
                "publisher": row["publisher"],
                "authors": row["authors"],
                "publication_date": pdate(row["date"], row["precision"], row["approximate"]),
                "url": row["url"],
                "language": row["language"],
            },
            "quote": row["quote"],
            "page": row["page"],
        }
        for row in rows
    ]


COURT_JSON = """CASE WHEN {t}.id IS NOT NULL AND {t}.publication = 'published' THEN
    json_build_object('slug', {t}.slug, 'name', {t}.name, 'short_name', {t}.short_name,
                      'country', {t}.country) END"""


class Floors:
    """The floor of every benchmarked endpoint, on one psycopg connection."""

    def __init__(self, connection, content_types: dict[str, int], base: str):
        self.db = connection
        self.ct = content_types
        self.base = base.rstrip("/")

    def fetch(self, sql: str, params=()):
        with self.db.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def api(self, path: str) -> str:
        return f"{self.base}/api/v1/{path}"

    def court(self, row) -> dict | None:
        if not row:
            return None
        return {
            "slug": row["slug"],
            "name": row["name"],
            "short_name": row["short_name"],
            "country": country(row["country"]),
            "api_url": self.api(f"courts/{row['slug']}/"),
        }

    def person(self, row) -> dict:
        return {
            "slug": row["slug"],
            "name": row["name"],
            "name_is_alias": row["name_is_alias"],
            "api_url": self.api(f"people/{row['slug']}/"),
        }

    # The API case list ---------------------------------------------------------------------

    LIST = """
        SELECT c.slug, c.title, c.status, c.docket_number, c.defendant_count, c.updated_at,
               ct.slug, ct.name, ct.short_name, ct.country, ct.publication
        FROM cases_case c LEFT JOIN cases_court ct ON ct.id = c.court_id
        WHERE c.publication = 'published' {where}
        ORDER BY c.slug LIMIT 51"""
    # The best single query for a big organization: walk the list in order, one index probe
    # per case (the organization's id is a one-time subquery).
    BY_ORGANIZATION = """AND c.status = %(status)s AND (
        SELECT 1 FROM cases_case_organizations co
        WHERE co.case_id = c.id AND co.organization_id = (
            SELECT o.id FROM people_organization o
            WHERE o.slug = %(organization)s AND o.publication = 'published')) IS NOT NULL"""
    # A common word: walk the list in order, checking each case (a correlated subquery per
    # case, never gathered up front), until the page is full.
    SEARCH = """AND (c.search_title LIKE %(like)s OR (
        SELECT 1 FROM cases_defendant d JOIN people_person p ON p.id = d.person_id
        WHERE d.case_id = c.id AND d.publication = 'published' AND p.publication = 'published'
          AND (p.search_name LIKE %(like)s OR (
            SELECT 1 FROM people_alias a WHERE a.person_id = p.id
              AND a.publication = 'published' AND a.search_name LIKE %(like)s LIMIT 1
          ) IS NOT NULL)
        LIMIT 1) IS NOT NULL)"""

    def case_list(self, *, after=None, organization=None, status=None, q=None) -> bytes:
        where, params, query = [], {}, {}
        if after is not None:
            where.append("AND c.slug > %(after)s")
            params["after"] = after
        if organization:
            where.append(self.BY_ORGANIZATION)
            params.update(organization=organization, status=status)
            query.update(organization=organization, status=status)
        if q:
            where.append(self.SEARCH)
            params["like"] = f"%{q}%"
            query["q"] = q
        rows = self.fetch(self.LIST.format(where=" ".join(where)), params)
        results = []
        for slug, title, state, docket, count, updated, *court in rows[:50]:
            results.append(
                {
                    "slug": slug,
                    "title": title,
                    "status": state,
                    "status_label": LABELS["case_status"][state],
                    "court": self.court(
                        dict(zip(["slug", "name", "short_name", "country"], court, strict=False))
                        if court[0] and court[4] == "published"
                        else None
                    ),
                    "docket_number": docket,
                    "defendant_count": count,
                    "api_url": self.api(f"cases/{slug}/"),
                    "web_url": f"{self.base}/cases/{slug}/",
                    "updated_at": stamp(updated),
                }
            )
        next_link = None
        if len(rows) > 50:
            token = json.dumps({"o": "slug", "p": [rows[49][0]]}, separators=(",", ":"))
            cursor = base64.urlsafe_b64encode(token.encode()).decode().rstrip("=")
            query_string = "&".join(f"{k}={v}" for k, v in {**query, "cursor": cursor}.items())
            next_link = self.api(f"cases/?{query_string}")
        page = {"next": next_link, "previous": None if after is None else "…", "results": results}
        return json.dumps(page, ensure_ascii=False).encode()

    # The case detail ------------------------------------------------------------------------

    def detail_sql(self) -> str:
        ct = self.ct
        return f"""
        SELECT json_build_object(
          'slug', c.slug, 'title', c.title, 'status', c.status,
          'docket_number', c.docket_number, 'defendant_count', c.defendant_count,
          'updated_at', c.updated_at, 'summary', c.summary,
          'court', {COURT_JSON.format(t="ct")},
          'organizations', (SELECT coalesce(json_agg(json_build_object(
                'slug', o.slug, 'name', o.name, 'kind', o.kind) ORDER BY o.name, o.id), '[]')
              FROM cases_case_organizations co
              JOIN people_organization o ON o.id = co.organization_id
              WHERE co.case_id = c.id AND o.publication = {P}),
          'defendants', (SELECT coalesce(json_agg(json_build_object(
                'status', d.status,
                'person', json_build_object('slug', p.slug, 'name', p.name,
                                            'name_is_alias', p.name_is_alias),
                'aliases', (SELECT coalesce(json_agg(a.name ORDER BY a.name, a.id), '[]')
                            FROM people_alias a
                            WHERE a.person_id = p.id AND a.publication = {P}),
                'custody', (SELECT row_to_json(r) FROM (
                    SELECT cr.*, {cites(ct["custodyrecord"], "cr")} AS sources
                    FROM cases_custodyrecord cr
                    WHERE cr.person_id = p.id AND cr.publication = {P} AND cr.end_date IS NULL
                    ORDER BY cr.start_date DESC NULLS LAST, cr.id DESC LIMIT 1) r),
                'plea', (SELECT row_to_json(r) FROM (
                    SELECT ap.plea, e.id AS event_id, e.date, e.date_precision,
                           e.date_approximate
                    FROM cases_appearance ap JOIN cases_courtevent e ON e.id = ap.event_id
                    WHERE ap.defendant_id = d.id AND ap.plea <> '' AND e.publication = {P}
                      AND e.status <> 'cancelled'
                    ORDER BY e.date DESC NULLS LAST, e.id DESC, ap.id DESC LIMIT 1) r),
                'charges', (SELECT coalesce(json_agg(row_to_json(r)), '[]') FROM (
                    SELECT ch.*, doc.kind AS doc_kind, doc.title AS doc_title,
                           doc.filed_date, doc.filed_date_precision, doc.filed_date_approximate,
                           {cites(ct["charge"], "ch")} AS sources
                    FROM cases_charge ch
                    JOIN cases_chargingdocument doc ON doc.id = ch.document_id
                    WHERE ch.defendant_id = d.id AND ch.publication = {P}
                      AND doc.publication = {P}
                    ORDER BY doc.filed_date NULLS FIRST, doc.id, ch.count_number NULLS LAST,
                             ch.id) r),
                'sources', {cites(ct["defendant"], "d")}
              ) ORDER BY p.name, d.id), '[]')
              FROM cases_defendant d JOIN people_person p ON p.id = d.person_id
              WHERE d.case_id = c.id AND d.publication = {P} AND p.publication = {P}),
          'extraditions', (SELECT coalesce(json_agg(row_to_json(r)), '[]') FROM (
              SELECT x.*, p.slug, p.name, p.name_is_alias,
                     {cites(ct["extraditionrequest"], "x")} AS sources
              FROM cases_extraditionrequest x JOIN people_person p ON p.id = x.person_id
              WHERE x.case_id = c.id AND x.publication = {P} AND p.publication = {P}
              ORDER BY x.request_date NULLS FIRST, x.id) r),
          'sources', {cites(ct["case"], "c")}
        )
        FROM cases_case c LEFT JOIN cases_court ct ON ct.id = c.court_id
        WHERE c.slug = %(slug)s AND c.publication = {P}"""

    def custody(self, row) -> dict | None:
        if not row:
            return None
        return {
            "id": row["id"],
            "status": row["status"],
            "status_label": LABELS["custody"][row["status"]],
            "custodian_country": country(row["custodian_country"]),
            "custodian": row["custodian"],
            "facility": row["facility"],
            "place": row["place"],
            "start_date": pdate(
                row["start_date"], row["start_date_precision"], row["start_date_approximate"]
            ),
            "end_date": pdate(
                row["end_date"], row["end_date_precision"], row["end_date_approximate"]
            ),
            "notes": row["notes"],
            "sources": sources(row["sources"]),
        }

    def detail_document(self, case: dict) -> dict:
        slug = case["slug"]
        defendants = []
        for d in case["defendants"]:
            plea = d["plea"]
            defendants.append(
                {
                    "person": {
                        **self.person(d["person"]),
                        "aliases": d["aliases"],
                    },
                    "status": d["status"],
                    "status_label": LABELS["defendant_status"][d["status"]],
                    "current_custody": self.custody(d["custody"]),
                    "plea": plea
                    and {
                        "plea": plea["plea"],
                        "plea_label": LABELS["plea"][plea["plea"]],
                        "date": pdate(
                            plea["date"], plea["date_precision"], plea["date_approximate"]
                        ),
                        "court_event": plea["event_id"],
                    },
                    "charges": [
                        {
                            "id": ch["id"],
                            "document": {
                                "id": ch["document_id"],
                                "kind": ch["doc_kind"],
                                "title": ch["doc_title"],
                                "filed_date": pdate(
                                    ch["filed_date"],
                                    ch["filed_date_precision"],
                                    ch["filed_date_approximate"],
                                ),
                            },
                            "count_number": ch["count_number"],
                            "statute": ch["statute"],
                            "description": ch["description"],
                            "category": ch["category"],
                            "category_label": LABELS["category"][ch["category"]],
                            "disposition": ch["disposition"],
                            "disposition_label": LABELS["disposition"][ch["disposition"]],
                            "disposition_date": pdate(
                                ch["disposition_date"],
                                ch["disposition_date_precision"],
                                ch["disposition_date_approximate"],
                            ),
                            "sentence": ch["sentence"],
                            "sources": sources(ch["sources"]),
                        }
                        for ch in d["charges"]
                    ],
                    "sources": sources(d["sources"]),
                }
            )
        return {
            "slug": slug,
            "title": case["title"],
            "status": case["status"],
            "status_label": LABELS["case_status"][case["status"]],
            "court": self.court(case["court"]),
            "docket_number": case["docket_number"],
            "defendant_count": case["defendant_count"],
            "api_url": self.api(f"cases/{slug}/"),
            "web_url": f"{self.base}/cases/{slug}/",
            "updated_at": stamp(case["updated_at"]),
            "summary": case["summary"],
            "organizations": [
                {**o, "api_url": self.api(f"organizations/{o['slug']}/")}
                for o in case["organizations"]
            ],
            "defendants": defendants,
            "extradition_requests": [
                {
                    "id": x["id"],
                    "person": self.person(x),
                    "requesting_country": country(x["requesting_country"]),
                    "requested_country": country(x["requested_country"]),
                    "request_date": pdate(
                        x["request_date"],
                        x["request_date_precision"],
                        x["request_date_approximate"],
                    ),
                    "status": x["status"],
                    "status_label": LABELS["extradition"][x["status"]],
                    "decision_date": pdate(
                        x["decision_date"],
                        x["decision_date_precision"],
                        x["decision_date_approximate"],
                    ),
                    "deciding_body": x["deciding_body"],
                    "reason": x["reason"],
                    "sources": sources(x["sources"]),
                }
                for x in case["extraditions"]
            ],
            "sources": sources(case["sources"]),
            "links": {
                "timeline": self.api(f"cases/{slug}/timeline/"),
                "timelinejs": self.api(f"cases/{slug}/timeline/?format=timelinejs"),
                "calendar": self.api(f"calendar.ics?case={slug}"),
            },
        }

    def case_detail(self, slug: str) -> bytes:
        (case,) = self.fetch(self.detail_sql(), {"slug": slug})[0]
        return json.dumps(self.detail_document(case), ensure_ascii=False).encode()

    # Timelines -------------------------------------------------------------------------------

    PERSON_JSON = """json_build_object('slug', {p}.slug, 'name', {p}.name,
        'name_is_alias', {p}.name_is_alias,
        'alias', (SELECT a.name FROM people_alias a WHERE a.person_id = {p}.id
                  AND a.publication = 'published' ORDER BY a.name, a.id LIMIT 1))"""

    def items_sql(
        self, *, documents: str, events: str, charges: str, extraditions: str, custody: str
    ) -> str:
        """SQL: timeline rows as one JSON array, in timeline order. Each argument is the WHERE
        condition choosing that kind of record (aliases doc, e, ch, x, cr)."""
        ct = self.ct
        person = self.PERSON_JSON
        court = COURT_JSON
        return f"""(SELECT coalesce(json_agg(row_to_json(t) ORDER BY t.d, t.ko, t.rid), '[]')
        FROM (
          SELECT 'document_filed' AS kind, 0 AS ko, doc.id AS rid, doc.filed_date AS d,
                 doc.filed_date_precision AS prec, doc.filed_date_approximate AS approx,
                 coalesce(nullif(doc.title, ''), doc.kind) AS label, '' AS status,
                 '' AS place, '' AS country, NULL::text AS extra,
                 {court.format(t="coalesce_court")} AS court, NULL::json AS people,
                 {cites(ct["chargingdocument"], "doc")} AS sources
          FROM cases_chargingdocument doc
          JOIN cases_case dc ON dc.id = doc.case_id AND dc.publication = {P}
          LEFT JOIN cases_court coalesce_court
            ON coalesce_court.id = coalesce(doc.court_id, dc.court_id)
          WHERE doc.publication = {P} AND doc.filed_date IS NOT NULL AND ({documents})
          UNION ALL
          SELECT 'document_unsealed', 1, doc.id, doc.unsealed_date, doc.unsealed_date_precision,
                 doc.unsealed_date_approximate, coalesce(nullif(doc.title, ''), doc.kind), '',
                 '', '', NULL, {court.format(t="coalesce_court")}, NULL,
                 {cites(ct["chargingdocument"], "doc")}
          FROM cases_chargingdocument doc
          JOIN cases_case dc ON dc.id = doc.case_id AND dc.publication = {P}
          LEFT JOIN cases_court coalesce_court
            ON coalesce_court.id = coalesce(doc.court_id, dc.court_id)
          WHERE doc.publication = {P} AND doc.unsealed_date IS NOT NULL AND ({documents})
          UNION ALL
          SELECT 'court_event', 4, e.id, e.date, e.date_precision, e.date_approximate, e.kind,
                 e.status, e.place, e.country, e.description, {court.format(t="ec")},
                 (SELECT coalesce(json_agg(json_build_object('person',
                     {person.format(p="ap_p")}, 'plea', ap.plea) ORDER BY ap.defendant_id, ap.id),
                     '[]')
                  FROM cases_appearance ap
                  JOIN cases_defendant ap_d ON ap_d.id = ap.defendant_id
                  JOIN people_person ap_p ON ap_p.id = ap_d.person_id
                  WHERE ap.event_id = e.id AND ap_d.publication = {P}
                    AND ap_p.publication = {P}),
                 {cites(ct["courtevent"], "e")}
          FROM cases_courtevent e
          JOIN cases_case ecase ON ecase.id = e.case_id AND ecase.publication = {P}
          LEFT JOIN cases_court ec ON ec.id = e.court_id
          WHERE e.publication = {P} AND e.date IS NOT NULL AND ({events})
          UNION ALL
          SELECT 'charge_disposed', 5, ch.id, ch.disposition_date, ch.disposition_date_precision,
                 ch.disposition_date_approximate, ch.description, ch.disposition, '', '',
                 ch.sentence, NULL, json_build_array({person.format(p="chp")}),
                 {cites(ct["charge"], "ch")}
          FROM cases_charge ch
          JOIN cases_chargingdocument chdoc ON chdoc.id = ch.document_id
          JOIN cases_case chcase ON chcase.id = chdoc.case_id
          JOIN cases_defendant chd ON chd.id = ch.defendant_id
          JOIN people_person chp ON chp.id = chd.person_id
          WHERE ch.publication = {P} AND chdoc.publication = {P} AND chcase.publication = {P}
            AND chd.publication = {P} AND chp.publication = {P}
            AND ch.disposition <> 'pending' AND ch.disposition_date IS NOT NULL AND ({charges})
          UNION ALL
          SELECT 'extradition_requested', 2, x.id, x.request_date, x.request_date_precision,
                 x.request_date_approximate, x.requesting_country, '', '', x.requested_country,
                 NULL, NULL, json_build_array({person.format(p="xp")}),
                 {cites(ct["extraditionrequest"], "x")}
          FROM cases_extraditionrequest x JOIN people_person xp ON xp.id = x.person_id
          WHERE x.publication = {P} AND xp.publication = {P} AND x.request_date IS NOT NULL
            AND ({extraditions})
          UNION ALL
          SELECT 'extradition_decided', 6, x.id, x.decision_date, x.decision_date_precision,
                 x.decision_date_approximate, x.requesting_country, x.status, x.deciding_body,
                 x.requested_country, x.reason, NULL, json_build_array({person.format(p="xp")}),
                 {cites(ct["extraditionrequest"], "x")}
          FROM cases_extraditionrequest x JOIN people_person xp ON xp.id = x.person_id
          WHERE x.publication = {P} AND xp.publication = {P} AND x.decision_date IS NOT NULL
            AND x.status <> 'pending' AND ({extraditions})
          UNION ALL
          SELECT 'custody', CASE WHEN cr.status IN ('arrested', 'escaped', 'deceased')
            THEN 3 ELSE 7 END, cr.id, cr.start_date, cr.start_date_precision,
                 cr.start_date_approximate, coalesce(nullif(cr.custodian, ''), ''), cr.status,
                 cr.place, cr.custodian_country,
                 concat_ws('|', cr.facility, cr.notes, cr.end_date, cr.end_date_precision,
                           cr.end_date_approximate),
                 NULL, json_build_array({person.format(p="crp")}),
                 {cites(ct["custodyrecord"], "cr")}
          FROM cases_custodyrecord cr JOIN people_person crp ON crp.id = cr.person_id
          WHERE cr.publication = {P} AND crp.publication = {P} AND cr.start_date IS NOT NULL
            AND ({custody})
        ) t)"""

    def case_items_sql(self, case: str) -> str:
        """Timeline rows of the case whose id is the SQL expression `case`."""
        defendants = f"""SELECT d.person_id FROM cases_defendant d
            JOIN people_person dp ON dp.id = d.person_id
            WHERE d.case_id = {case} AND d.publication = {P} AND dp.publication = {P}"""
        return self.items_sql(
            documents=f"doc.case_id = {case}",
            events=f"e.case_id = {case}",
            charges=f"chdoc.case_id = {case}",
            extraditions=f"x.case_id = {case}",
            custody=f"cr.person_id IN ({defendants})",
        )

    def person_items_sql(self, person: str) -> str:
        cases = f"""SELECT d.case_id FROM cases_defendant d JOIN cases_case dc ON dc.id = d.case_id
            WHERE d.person_id = {person} AND d.publication = {P} AND dc.publication = {P}"""
        appeared = f"""SELECT ap.event_id FROM cases_appearance ap
            JOIN cases_defendant d ON d.id = ap.defendant_id
            WHERE d.person_id = {person} AND d.publication = {P}"""
        return self.items_sql(
            documents=f"doc.case_id IN ({cases})",
            events=f"e.id IN ({appeared})",
            charges=f"chd.person_id = {person}",
            extraditions=f"x.person_id = {person}",
            custody=f"cr.person_id = {person}",
        )

    def timeline_person(self, row) -> dict:
        name = f"alias “{row['name']}”" if row["name_is_alias"] else row["name"]
        return {
            "slug": row["slug"],
            "name": name,
            "alias": row["alias"] or "",
            "api_url": self.api(f"people/{row['slug']}/"),
        }

    def items(self, rows) -> list[dict]:
        """Timeline items (as the API writes them) from the rows of `items_sql`."""
        items = []
        for row in rows:
            kind = row["kind"]
            people = []
            if kind != "court_event":
                people = [self.timeline_person(p) for p in row["people"] or []]
            pleas = []
            status, place, description = row["status"], row["place"], ""
            code = row["country"] or ""
            court = self.court(row["court"])
            label = row["label"]
            if kind in ("document_filed", "document_unsealed"):
                verb = "filed" if kind == "document_filed" else "unsealed"
                label = LABELS["document"].get(label, label)
                title = f"{label} {verb}"
                description = f"{verb.capitalize()} in the {court['name']}." if court else ""
                code = court["country"]["code"] if court else ""
            elif kind == "court_event":
                appearances = row["people"] or []
                people = [self.timeline_person(a["person"]) for a in appearances]
                for a, p in zip(appearances, people, strict=True):
                    if a["plea"] == "none":
                        pleas.append(f"{p['name']} entered no plea.")
                    elif a["plea"]:
                        pleas.append(f"{p['name']} pleaded {LABELS['plea'][a['plea']].lower()}.")
                title = LABELS["event"][label]
                if status != "held":
                    title = f"{title} ({LABELS['event_status'][status].lower()})"
                description = " ".join([*pleas, row["extra"] or ""]).strip()
                code = code or (court["country"]["code"] if court else "")
            elif kind == "charge_disposed":
                title = (
                    f"{people[0]['name']}: {LABELS['disposition'][status].lower()} of "
                    f"{label[:1].lower()}{label[1:]}"
                )
                description = f"Sentence: {row['extra']}." if row["extra"] else ""
                status = ""
            elif kind == "extradition_requested":
                title = (
                    f"{countries.name(label)} requests the extradition of {people[0]['name']} "
                    f"from {countries.name(code)}"
                )
            elif kind == "extradition_decided":
                by = f" ({place})" if place else ""
                title = (
                    f"Extradition of {people[0]['name']} to {countries.name(label)}: "
                    f"{LABELS['extradition'][status].lower()}{by}"
                )
                description, place = row["extra"] or "", ""
            else:  # custody
                facility, notes = (row["extra"] or "|").split("|")[:2]
                held_by = label or countries.name(code) or ""
                where = " in ".join(part for part in (facility, place) if part)
                details = [
                    f"Held by {held_by}." if held_by and status in HELD else "",
                    f"{'At' if facility else 'In'} {where}." if where else "",
                ]
                title = f"{people[0]['name']}: {LABELS['custody'][status].lower()}"
                description = " ".join(part for part in [*details, notes] if part)
            items.append(
                {
                    "id": f"{kind}-{row['rid']}",
                    "kind": kind,
                    "kind_label": LABELS["timeline"][kind],
                    "date": pdate(row["d"], row["prec"], row["approx"]),
                    "title": title,
                    "description": description,
                    "status": status,
                    "place": place,
                    "country": country(code),
                    "court": court if kind != "charge_disposed" else None,
                    "people": people,
                    "sources": sources(row["sources"]),
                }
            )
        return items

    def case_timeline_sql(self) -> str:
        return f"""SELECT c.slug, c.title, c.status, {self.case_items_sql("c.id")}
            FROM cases_case c WHERE c.slug = %(slug)s AND c.publication = {P}"""

    def case_timeline(self, slug: str) -> bytes:
        (slug, title, status, rows) = self.fetch(self.case_timeline_sql(), {"slug": slug})[0]
        document = {
            "case": {
                "slug": slug,
                "title": title,
                "status": status,
                "status_label": LABELS["case_status"][status],
                "api_url": self.api(f"cases/{slug}/"),
            },
            "items": self.items(rows),
        }
        return json.dumps(document, ensure_ascii=False).encode()

    def timelinejs(self, slug: str) -> bytes:
        (slug, title, status, rows) = self.fetch(self.case_timeline_sql(), {"slug": slug})[0]
        events = []
        groups = {"document": "Charges", "charge": "Charges", "court": "Court"}
        for item in self.items(rows):
            when = item["date"]
            start = {"year": when["date"][:4]}
            if when["precision"] in ("month", "day"):
                start["month"] = str(int(when["date"][5:7]))
            if when["precision"] == "day":
                start["day"] = str(int(when["date"][8:10]))
            start["display_date"] = when["display"]
            notes = "".join(
                f"<li>{escape(s['source']['title'])}"
                + (f": “{escape(s['quote'])}”" if s["quote"] else "")
                + "</li>"
                for s in item["sources"]
            )
            text = f"<p>{escape(item['description'])}</p>" if item["description"] else ""
            if notes:
                text += f'<p class="sources">Sources:</p><ul>{notes}</ul>'
            group = groups.get(item["kind"].split("_")[0], "Extradition")
            events.append(
                {
                    "unique_id": item["id"],
                    "start_date": start,
                    "display_date": when["display"],
                    "text": {"headline": escape(item["title"]), "text": text},
                    "group": "Custody" if item["kind"] == "custody" else group,
                }
            )
        document = {
            "title": {
                "text": {
                    "headline": escape(title),
                    "text": f"<p>{LABELS['case_status'][status]}</p>",
                }
            },
            "events": events,
        }
        return json.dumps(document, ensure_ascii=False).encode()

    def person_timeline(self, slug: str) -> bytes:
        sql = f"""SELECT p.slug, p.name, p.name_is_alias, {self.person_items_sql("p.id")}
            FROM people_person p WHERE p.slug = %(slug)s AND p.publication = {P}"""
        (slug, name, is_alias, rows) = self.fetch(sql, {"slug": slug})[0]
        document = {
            "person": self.person({"slug": slug, "name": name, "name_is_alias": is_alias}),
            "items": self.items(rows),
        }
        return json.dumps(document, ensure_ascii=False).encode()

    # The hearings calendar ------------------------------------------------------------------

    CALENDAR = """
        SELECT e.id, e.kind, e.status, e.date, e.time, e.place, e.country, e.description,
               e.updated_at, c.slug, c.title,
               CASE WHEN ct.publication = 'published' THEN ct.name END,
               (SELECT count(*) FROM cases_historicalcourtevent h WHERE h.id = e.id)
        FROM cases_courtevent e
        JOIN cases_case c ON c.id = e.case_id AND c.publication = 'published'
        LEFT JOIN cases_court ct ON ct.id = e.court_id
        WHERE c.slug = %(slug)s AND e.publication = 'published' AND e.date IS NOT NULL
          AND e.date_precision = 'day' AND NOT e.date_approximate
        ORDER BY e.date, e.time NULLS FIRST, e.id"""

    def calendar(self, slug: str) -> bytes:
        rows = self.fetch(self.CALENDAR, {"slug": slug})
        lines = [
            "BEGIN:VCALENDAR",
            "PRODID:-//casetracker//Court hearings//EN",
            "VERSION:2.0",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            f"X-WR-CALNAME:Court hearings: {rows[0][10] if rows else ''}",
        ]
        for pk, kind, status, day, time, place, code, _text, updated, slug, title, court, n in rows:
            stamp_text = updated.strftime("%Y%m%dT%H%M%SZ")
            summary = LABELS["event"][kind] + (" (cancelled)" if status == "cancelled" else "")
            lines += [
                "BEGIN:VEVENT",
                f"SUMMARY:{summary}: {title}",
                f"DTSTART:{day:%Y%m%d}T{time:%H%M%S}"
                if time
                else f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
                f"DTSTAMP:{stamp_text}",
                f"UID:court-event-{pk}@casetracker",
                f"SEQUENCE:{max(n - 1, 0)}",
                "STATUS:CANCELLED" if status == "cancelled" else "STATUS:CONFIRMED",
                "LOCATION:" + ", ".join(p for p in (place, court, countries.name(code)) if p),
                f"URL:{self.base}/cases/{slug}/",
                "END:VEVENT",
            ]
        lines.append("END:VCALENDAR")
        return ("\r\n".join(lines) + "\r\n").encode()

    # Public pages ---------------------------------------------------------------------------

    def case_page(self, slug: str) -> bytes:
        """The case page, from the published copy as the page reads it: the case, its court
        and organizations, its named defendants (aliases, current custody, last plea, charges),
        its extradition requests and its materialized timeline, each fact with its sources."""
        person_live = "NOT p.withdrawn"
        sql = f"""
        SELECT json_build_object(
          'title', c.title, 'status', c.status, 'summary', c.summary,
          'count', c.defendant_count, 'published_at', c.published_at,
          'court', (SELECT ct.name FROM public_court ct
                    WHERE ct.id = c.court_id AND NOT ct.withdrawn),
          'organizations', (SELECT coalesce(json_agg(o.name ORDER BY o.name, o.id), '[]')
              FROM public_case_organizations co
              JOIN public_organization o ON o.id = co.organization_id
              WHERE co.case_id = c.id AND NOT o.withdrawn),
          'sources', {copy_cites("cases.case", "c")},
          'defendants', (SELECT coalesce(json_agg(json_build_object(
              'name', p.name, 'status', d.status,
              'aliases', (SELECT coalesce(json_agg(a.name ORDER BY a.name, a.id), '[]')
                          FROM public_alias a WHERE a.person_id = p.id),
              'custody', (SELECT json_build_object('status', cr.status,
                                 'sources', {copy_cites("cases.custodyrecord", "cr")})
                          FROM public_custodyrecord cr
                          WHERE cr.person_id = p.id AND cr.end_date IS NULL
                          ORDER BY cr.start_date DESC NULLS LAST, cr.id DESC LIMIT 1),
              'plea', (SELECT ap.plea FROM public_appearance ap
                       JOIN public_courtevent e ON e.id = ap.event_id
                       WHERE ap.defendant_id = d.id AND ap.plea <> ''
                         AND e.status <> 'cancelled'
                       ORDER BY e.date DESC NULLS LAST, e.id DESC, ap.id DESC LIMIT 1),
              'charges', (SELECT coalesce(json_agg(json_build_object(
                  'description', ch.description, 'disposition', ch.disposition,
                  'sources', {copy_cites("cases.charge", "ch")})
                  ORDER BY doc.filed_date NULLS FIRST, doc.id, ch.count_number NULLS LAST,
                           ch.id), '[]')
                  FROM public_charge ch JOIN public_chargingdocument doc
                    ON doc.id = ch.document_id
                  WHERE ch.defendant_id = d.id))
              ORDER BY p.name, d.id), '[]')
              FROM public_defendant d JOIN public_person p ON p.id = d.person_id
              WHERE d.case_id = c.id AND {person_live}),
          'extraditions', (SELECT coalesce(json_agg(json_build_object(
              'name', p.name, 'status', x.status,
              'sources', {copy_cites("cases.extraditionrequest", "x")})
              ORDER BY x.request_date NULLS FIRST, x.id), '[]')
              FROM public_extraditionrequest x JOIN public_person p ON p.id = x.person_id
              WHERE x.case_id = c.id AND {person_live}),
          'timeline', (SELECT coalesce(json_agg(json_build_object(
              'date', i.date, 'precision', i.date_precision, 'approximate', i.date_approximate,
              'title', i.title, 'description', i.description,
              'court', (SELECT ct.name FROM public_court ct
                        WHERE ct.id = i.court_id AND NOT ct.withdrawn),
              'people', (SELECT coalesce(json_agg(p.name ORDER BY n.ord), '[]')
                         FROM jsonb_array_elements_text(i.people::jsonb) WITH ORDINALITY
                           AS n(person_id, ord)
                         JOIN public_person p ON p.id = n.person_id::bigint
                         WHERE {person_live}),
              'sources', (SELECT coalesce(json_agg(json_build_object(
                  'title', s.title, 'publisher', s.publisher, 'quote', ci.quote)
                  ORDER BY s.title, ci.id), '[]')
                  FROM public_citation ci JOIN public_source s ON s.id = ci.source_id
                  WHERE ci.record_type = i.record_type AND ci.record_id = i.record_id
                    AND NOT s.withdrawn))
              ORDER BY i.date, i.rank, i.record_id, i.key), '[]')
              FROM public_timelineitem i
              WHERE (i.case_id = c.id
                     OR i.unit_kind = 'person' AND i.kind = 'custody' AND i.unit_id = ANY(
                       ARRAY(SELECT d.person_id FROM public_defendant d
                       JOIN public_person p ON p.id = d.person_id
                       WHERE d.case_id = c.id AND {person_live})))
                AND (i.unit_kind = 'case' OR EXISTS (
                       SELECT 1 FROM public_person p WHERE p.id = i.unit_id AND {person_live})))
        ) FROM public_case c WHERE c.slug = %(slug)s AND NOT c.withdrawn"""
        (case,) = self.fetch(sql, {"slug": slug})[0]
        html = [
            f"<!doctype html><html lang=en><title>{escape(case['title'])}</title>",
            f"<h1>{escape(case['title'])}</h1><p>{LABELS['case_status'][case['status']]}</p>",
            f"<p>{escape(case['court'] or 'Not known')}</p>",
            f"<p>{escape(', '.join(case['organizations']))}</p>",
        ]
        notes: list[dict] = []

        def refs(cited):
            numbers = []
            for s in cited:
                notes.append(s)
                numbers.append(f"<sup>{len(notes)}</sup>")
            return "".join(numbers)

        html.append(f"<p>{escape(case['summary'])}{refs(case['sources'])}</p>")
        html.append("<h2>Defendants</h2><ul>")
        for d in case["defendants"]:
            custody = d["custody"]
            html.append(
                f"<li>{escape(d['name'])} {escape(', '.join(d['aliases']))} "
                f"{LABELS['defendant_status'][d['status']]}"
                + (f" {LABELS['custody'][custody['status']]}" if custody else "")
                + (refs(custody["sources"]) if custody else "")
                + (f" {LABELS['plea'][d['plea']]}" if d["plea"] else "")
                + "<ul>"
                + "".join(
                    f"<li>{escape(ch['description'])} {LABELS['disposition'][ch['disposition']]}"
                    f"{refs(ch['sources'])}</li>"
                    for ch in d["charges"]
                )
                + "</ul></li>"
            )
        html.append("</ul><h2>Extradition</h2><ul>")
        for x in case["extraditions"]:
            html.append(f"<li>{escape(x['name'])} {LABELS['extradition'][x['status']]}")
            html.append(f"{refs(x['sources'])}</li>")
        html.append("</ul><h2>Timeline</h2><ol>")
        for item in case["timeline"]:
            when = pdate(item["date"], item["precision"], item["approximate"])
            html.append(
                f"<li><time>{when['display']}</time> {escape(item['title'])} "
                f"{escape(item['court'] or '')} {escape(item['description'])} "
                f"{escape(', '.join(item['people']))}{refs(item['sources'])}</li>"
            )
        html.append("</ol><h2>Sources</h2><ol>")
        for s in notes:
            html.append(
                f"<li>{escape(s['title'])} {escape(s['publisher'])} {escape(s['quote'])}</li>"
            )
        updated = datetime.datetime.fromisoformat(case["published_at"])
        html.append(f"</ol><p>Last updated {updated:%d %B %Y}</p></html>")
        return "".join(html).encode()

    def case_list_page(self) -> bytes:
        """The first page of /cases/ (20 cards, most recently published first), its count and
        the filter choices, from the published copy."""
        sql = """
        WITH page AS (
            SELECT c.* FROM public_case c WHERE NOT c.withdrawn
            ORDER BY c.published_at DESC, c.title, c.id LIMIT 20)
        SELECT
          (SELECT json_agg(json_build_object(
              'slug', page.slug, 'title', page.title, 'status', page.status,
              'count', page.defendant_count, 'updated_at', page.published_at,
              'court', (SELECT name FROM public_court ct
                        WHERE ct.id = page.court_id AND NOT ct.withdrawn),
              'defendants', (SELECT coalesce(json_agg(json_build_object(
                  'name', p.name, 'is_alias', p.name_is_alias,
                  'alias', (SELECT a.name FROM public_alias a WHERE a.person_id = p.id
                            ORDER BY a.name, a.id LIMIT 1))
                  ORDER BY p.name, d.id), '[]')
                  FROM public_defendant d JOIN public_person p ON p.id = d.person_id
                  WHERE d.case_id = page.id AND NOT p.withdrawn))
              ORDER BY page.published_at DESC, page.title, page.id) FROM page),
          (SELECT json_agg(json_build_array(slug, name) ORDER BY name, id)
           FROM public_court WHERE NOT withdrawn),
          (SELECT json_agg(json_build_array(slug, name) ORDER BY name, id)
           FROM public_organization WHERE NOT withdrawn),
          (SELECT json_agg(DISTINCT ct.country) FROM public_court ct
           WHERE NOT ct.withdrawn AND EXISTS (SELECT 1 FROM public_case c
             WHERE c.court_id = ct.id AND NOT c.withdrawn)),
          (SELECT count(*) FROM public_case WHERE NOT withdrawn)"""
        cards, courts, organizations, codes, total = self.fetch(sql)[0]
        html = [
            "<!doctype html><html lang=en><title>Cases</title><h1>Cases</h1>",
            f"<p>{total} cases, page 1 of {(total + 19) // 20}</p><form>",
            '<select name="court">',
            *(f'<option value="{s}">{escape(n)}</option>' for s, n in courts),
            '</select><select name="organization">',
            *(f'<option value="{s}">{escape(n)}</option>' for s, n in organizations),
            '</select><select name="country">',
            *(
                f'<option value="{c}">{countries.name(c)}</option>'
                for c in sorted(codes, key=countries.name)
            ),
            "</select></form><ul>",
        ]
        for card in cards or []:
            people = "; ".join(
                (f"alias “{p['name']}”" if p["is_alias"] else p["name"])
                + (f" (“{p['alias']}”)" if p["alias"] else "")
                for p in card["defendants"]
            )
            others = (card["count"] or 0) - len(card["defendants"])
            updated = datetime.datetime.fromisoformat(card["updated_at"])
            html.append(
                f'<li><a href="/cases/{card["slug"]}/">{escape(card["title"])}</a> '
                f"{LABELS['case_status'][card['status']]} {escape(card['court'] or '')} "
                f"{escape(people)}{f' and {others} others' if others > 0 else ''} "
                f"Updated {updated:%d %B %Y}</li>"
            )
        html.append("</ul></html>")
        return "".join(html).encode()
