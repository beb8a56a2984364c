"""Tests of the ``ocds`` importer: OCDS release and record packages into engagements."""

from __future__ import annotations

import copy
import datetime as dt
import inspect
import json
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import outsourcekit as ok
from outsourcekit import plugins
from outsourcekit.builtin.importers.ocds import (
    MAX_DEPTH,
    OCDS_IMPORTER,
    _Compiled,
    import_ocds,
    is_ocds,
    read_ocds,
)
from outsourcekit.cli import cli
from outsourcekit.examples import examples_path
from outsourcekit.plugins import ImporterOptionError, ImportProblem

DATA = Path(__file__).parents[1] / "data" / "ocds"
OCID = "ocds-213czf-000-00001"
CONTRACT = "ocds-213czf-000-00001-contract-01"
SHAPES = (
    "a release package (`releases`), a record package (`records`), or a release "
    "or a record (`ocid`)"
)
WHERE = f'release "ocds-213czf-000-00001-05-contract" contract "{CONTRACT}"'


def load(name):
    """The JSON data of a test file."""
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def read(name, **options):
    """What the importer reads from a test file."""
    return read_ocds(DATA / name, options)


def text_of(data):
    """JSON text as publishers write it: indented, a member per line."""
    return json.dumps(data, indent=2)


def line_of(text, needle, after=0):
    """The 1-based number of the first line of *text* after *after* holding *needle*."""
    lines = enumerate(text.splitlines(), 1)
    return next(n for n, line in lines if n > after and needle in line)


def package(*releases):
    """A release package of *releases*."""
    return {"version": "1.1", "releases": list(releases)}


def release(rid, date, *contracts, **fields):
    """A release of the process ``ocds-x``, with *contracts*."""
    return {
        "ocid": "ocds-x",
        "id": rid,
        "date": date,
        **fields,
        "contracts": list(contracts),
    }


def milestone_releases():
    """The three real releases of the Barnet milestones, oldest first."""
    names = ("milestones-scheduled", "milestones-met", "milestones-partially-met")
    return [load(f"{name}.json")["releases"][0] for name in names]


class TestSniff:
    """OCDS is recognised by its top-level keys, not by the `.json` suffix."""

    @pytest.mark.parametrize("name", sorted(p.name for p in DATA.glob("*.json")))
    def test_real_files(self, name):
        """Every real OCDS file is recognised from its first 64 KiB."""
        assert is_ocds((DATA / name).read_text(encoding="utf-8")[: 64 * 1024])

    @pytest.mark.parametrize(
        "path", sorted(examples_path().glob("*.json")), ids=lambda p: p.name
    )
    def test_engagement_files_are_not_ocds(self, path):
        """The bundled engagement `.json` files are not taken for OCDS."""
        assert not is_ocds(path.read_text(encoding="utf-8"))

    @pytest.mark.parametrize(
        "head",
        [
            '{"id": "acme", "x-source": {"ocid": "ocds-1", "releases": []}}',
            '{"name": "site", "version": "1.0.0"}',
            '[{"ocid": "ocds-1"}]',
            '"releases"',
            "releases: []",
            '{"title": "a string that mentions \\"ocid\\": here"}',
            '{"description": "cut off before the end',
            "",
        ],
    )
    def test_other_json_is_not_ocds(self, head):
        """Keys nested below the top level, lists and other text are not OCDS."""
        assert not is_ocds(head)

    @pytest.mark.parametrize(
        "head",
        [
            '{"uri": "x", "publishedDate": "2020-01-01", "releases": [{"ocid": ',
            '\ufeff {\n  "records": [',
            '{"ocid": "ocds-213czf-1", "id": "1"}',
            '{"extensions": [{"a": [1, 2]}], "version": "1.1", "releases": []}',
        ],
    )
    def test_packages_and_releases(self, head):
        """A package, even cut off, and a single release or record are OCDS."""
        assert is_ocds(head)

    def test_the_importer_sniffs(self):
        """The registered importer reads `.json` files and sniffs their content."""
        importer = next(i for i in plugins.get_importers() if i.name == "ocds")
        assert importer.accepts("contracts/barnet.JSON")
        head = (DATA / "fictional-1.1-contract.json").read_text(encoding="utf-8")
        assert importer.recognises(head)
        assert not importer.recognises('{"id": "acme"}')


class TestMapping:
    """A contract becomes an engagement, field by field (OCDS 1.1 release)."""

    def test_engagement(self):
        """Id, title, status, start and end come from the contract."""
        data = read("fictional-1.1-contract.json").data
        assert CONTRACT == data["id"]
        assert (
            "Contract to build new cycle lanes in the centre of town." == data["title"]
        )
        assert "active" == data["status"]
        assert ("2010-07-01", "2011-06-30") == (data["start"], data["end"])

    def test_parties(self):
        """The buyer party is the client and the award's supplier the vendor."""
        data = read("fictional-1.1-contract.json").data
        assert {
            "name": "London Borough of Barnet",
            "x-ocds-id": "GB-LAC-E09000003",
        } == (data["client"])
        assert {"name": "AnyCorp Cycle Provision", "id": "GB-COH-11111111"} == data[
            "vendor"
        ]

    def test_agreement(self):
        """The contract is an agreement: signed, in force, with its signed document."""
        agreement = read("fictional-1.1-contract.json").data["agreements"][0]
        assert {
            "kind": "contract",
            "signed_on": "2010-06-10",
            "x-ocds-date-signed": "2010-06-10T14:23:12Z",
            "effective": "2010-07-01",
            "expires": "2011-06-30",
            "document": "http://example.com/contracts/ocds-213czf-000-00001",
        } == {k: v for k, v in agreement.items() if k != "x-ocds-documents"}
        assert ["contractSigned"] == [
            d["documentType"] for d in agreement["x-ocds-documents"]
        ]

    def test_kept_as_published(self):
        """What the file format has no key for is kept under `x-ocds-` keys."""
        data = read("fictional-1.1-contract.json").data
        contract = load("fictional-1.1-contract.json")["releases"][0]["contracts"][0]
        assert OCID == data["x-ocds-ocid"]
        assert CONTRACT == data["x-ocds-contract-id"]
        assert "ocds-213czf-000-00001-award-01" == data["x-ocds-award-id"]
        assert "active" == data["x-ocds-status"]
        assert contract["description"] == data["x-ocds-description"]
        assert {"amount": 11000000, "currency": "GBP"} == data["x-ocds-value"]
        assert contract["period"] == data["x-ocds-period"]

    def test_payments(self):
        """Implementation transactions are kept as payments, as published."""
        data = read("fictional-1.1-releases.json").data
        assert [50000, 10000] == [p["value"]["amount"] for p in data["x-ocds-payments"]]
        assert "AnyCorp Cycle Provision" == data["x-ocds-payments"][0]["payee"]["name"]

    def test_loads_as_an_engagement(self):
        """Every test file's data loads as engagements of the file format."""
        for path in sorted(DATA.glob("*.json")):
            imported = read_ocds(path, {})
            assert () == imported.problems, path.name
            engagement = ok.from_dict(imported.data)
            assert engagement.agreements[0].kind.value == "contract"

    def test_checked(self):
        """An imported contract is checked like any engagement."""
        engagement = ok.from_dict(read("fictional-1.1-contract.json").data)
        report = ok.check([engagement], as_of=dt.date(2011, 1, 1))
        assert [CONTRACT] == [e["id"] for e in report.to_dict()["engagements"]]


class TestMilestones:
    """Implementation milestones become milestones: name, due and done dates."""

    def test_met_and_not_met(self):
        """`dueDate` is `due`, `dateMet` is `done_on`: none for a milestone not met."""
        milestones = read("milestones-met.json").data["milestones"]
        assert [
            ("project started", "2018-03-19", "2018-03-31"),
            ("project completed", "2018-12-31", None),
        ] == [(m["name"], m["due"], m.get("done_on")) for m in milestones]
        assert "notMet" == milestones[1]["x-ocds-milestone"]["status"]

    def test_local_dates(self):
        """Dates are the dates written, in the timestamps' own offset (+04:30)."""
        data = read("financial-milestones.json").data
        assert "2018-09-16" == data["agreements"][0]["signed_on"]  # 2018-09-15 in UTC
        assert ("2018-09-21", "2018-12-21") == (data["start"], data["end"])
        assert [("2018-10-10", "2018-10-09"), ("2018-10-05", "2018-10-05")] == [
            (m["due"], m.get("done_on")) for m in data["milestones"][:2]
        ]

    def test_contract_milestones(self):
        """The contract's own milestones follow its implementation milestones."""
        contract = {
            "id": "c1",
            "milestones": [{"id": "m9", "title": "Signature", "dueDate": "2020-01-02"}],
            "implementation": {"milestones": [{"id": "m1", "description": "Kick-off"}]},
        }
        data = import_ocds(
            text_of(release("r1", "2020-01-01T00:00:00Z", contract))
        ).data
        assert [("Kick-off", None), ("Signature", "2020-01-02")] == [
            (m["name"], m.get("due")) for m in data["milestones"]
        ]

    def test_untitled(self):
        """A milestone without a title or description is named by its id."""
        contract = {"id": "c1", "implementation": {"milestones": [{"id": "7"}]}}
        data = import_ocds(
            text_of(release("r1", "2020-01-01T00:00:00Z", contract))
        ).data
        assert "milestone 7" == data["milestones"][0]["name"]


class TestParties:
    """The buyer is the client and the award's supplier the vendor, by party id."""

    def parties(self, *suppliers, award=True):
        """A release of a contract whose award has *suppliers* (party ids)."""
        parties = [
            {
                "id": "B",
                "name": "Council",
                "roles": ["buyer"],
                "address": {"country": "gb"},
            },
            *({"id": s, "name": f"Firm {s}", "roles": ["supplier"]} for s in suppliers),
        ]
        refs = [{"id": s, "name": f"Firm {s}"} for s in suppliers]
        awards = [{"id": "a1", "suppliers": refs}] if award else []
        contract = {"id": "c1", "awardID": "a1"} if award else {"id": "c1"}
        return release(
            "r1",
            "2020-01-01T00:00:00Z",
            contract,
            parties=parties,
            buyer={"id": "B"},
            awards=awards,
        )

    def test_region(self):
        """An OCDS 1.2 address's country code is the client's region."""
        data = import_ocds(text_of(self.parties("S1"))).data
        assert {"name": "Council", "region": "GB", "x-ocds-id": "B"} == data["client"]

    def test_buyer_by_role(self):
        """Without a `buyer`, the one party with the role `buyer` is the client."""
        doc = self.parties("S1")
        del doc["buyer"]
        assert "Council" == import_ocds(text_of(doc)).data["client"]["name"]

    def test_consortium(self):
        """Of several suppliers the first is the vendor; all are kept."""
        data = import_ocds(text_of(self.parties("S1", "S2"))).data
        assert {"name": "Firm S1", "id": "S1"} == data["vendor"]
        assert [{"id": "S1", "name": "Firm S1"}, {"id": "S2", "name": "Firm S2"}] == (
            data["x-ocds-suppliers"]
        )

    def test_without_award(self):
        """Without an award, the one supplier party is the vendor."""
        data = import_ocds(text_of(self.parties("S1", award=False))).data
        assert "Firm S1" == data["vendor"]["name"]

    def test_ambiguous_without_award(self):
        """Without an award, several supplier parties name no vendor."""
        data = import_ocds(text_of(self.parties("S1", "S2", award=False))).data
        assert "vendor" not in data


class TestOcds10:
    """OCDS 1.0 packages, without parties: buyer and suppliers written in full."""

    def test_parties_from_buyer_and_award(self):
        """The client is the buyer, the vendor the supplier of the award named."""
        data = read("fictional-1.0-contract.json").data
        assert "London Borough of Barnet" == data["client"]["name"]
        assert "GB-LAC-E09000003" == data["client"]["x-ocds-id"]
        assert {"name": "AnyCorp Cycle Provision", "id": "GB-COH-1234567844"} == data[
            "vendor"
        ]

    def test_contract(self):
        """The rest reads as in OCDS 1.1."""
        data = read("fictional-1.0-contract.json").data
        assert ("active", "2010-07-01", "2011-08-01") == (
            data["status"],
            data["start"],
            data["end"],
        )
        assert "2015-06-10" == data["agreements"][0]["signed_on"]

    def test_record(self):
        """A 1.0 record's compiled release keeps 1.0 transactions as published."""
        data = read("fictional-1.0-record.json").data
        assert ["0008", "0009"] == [
            d["id"] for d in data["agreements"][0]["x-ocds-documents"]
        ]
        assert [500000, 100000] == [
            p["amount"]["amount"] for p in data["x-ocds-payments"]
        ]

    def test_legal_name(self):
        """A supplier without a name is named by its identifier's legal name."""
        doc = load("fictional-1.0-contract.json")
        del doc["releases"][0]["awards"][0]["suppliers"][0]["name"]
        assert "AnyCorp Ltd" == import_ocds(text_of(doc)).data["vendor"]["name"]


class TestStatus:
    """Contract statuses map to the engagement's status words."""

    @pytest.mark.parametrize(
        ("fields", "expected"),
        [
            ({"status": "pending"}, "proposed"),
            ({"status": "active"}, "active"),
            ({"status": "terminated"}, "ended"),
            ({"status": "cancelled"}, "ended"),
            ({"status": "active", "finalStatus": "complete"}, "ended"),
            ({"finalStatus": "unsuccessful"}, "ended"),
            ({}, None),
        ],
    )
    def test_mapped(self, fields, expected):
        """Pending is proposed, active active, terminated, cancelled and final ended."""
        contract = {"id": "c1", **fields}
        data = import_ocds(
            text_of(release("r1", "2020-01-01T00:00:00Z", contract))
        ).data
        assert expected == data.get("status")

    def test_unknown(self):
        """An unknown status is a problem with a suggestion; it is kept as written."""
        contract = {"id": "c1", "status": "actve"}
        text = text_of(release("r1", "2020-01-01T00:00:00Z", contract))
        imported = import_ocds(text)
        assert "status" not in imported.data
        assert "actve" == imported.data["x-ocds-status"]
        assert [
            ImportProblem(
                message="status: expected one of pending, active, terminated, "
                "cancelled, got 'actve' (did you mean 'active'?)",
                line=line_of(text, '"actve"'),
                column=17,
                where='release "r1" contract "c1"',
            )
        ] == list(imported.problems)


class TestMerge:
    """Releases of one process merge as the OCDS merge routine compiles them."""

    def test_package_of_six_releases(self):
        """A later release's values win; what it leaves out is kept from before."""
        data = read("fictional-1.1-releases.json").data
        # The implementation release restates the contract without its documents:
        # the signed contract of the contract release is kept.
        assert (
            "http://example.com/contracts/ocds-213czf-000-00001"
            == (data["agreements"][0]["document"])
        )
        assert data["x-ocds-payments"]
        single = read("fictional-1.1-contract.json").data
        assert {k: v for k, v in single.items() if k != "x-ocds-payments"} == {
            k: v for k, v in data.items() if k != "x-ocds-payments"
        }

    def test_same_as_the_compiled_record(self):
        """Merged, the package's releases give what its compiled record gives."""
        merged = read("fictional-1.1-releases.json").data
        compiled = read("fictional-1.1-record.json").data
        assert compiled == merged

    def test_many_releases_each_adding_a_milestone(self):
        """Each of many releases adds its milestone; a restated one merges in."""
        releases = [
            release(
                f"r{n}",
                f"2020-01-{1 + n // 24:02d}T{n % 24:02d}:00:00Z",
                {
                    "id": "c1",
                    "milestones": [
                        {"id": f"m{n}", "title": f"Step {n}", "dueDate": "2020-06-01"}
                    ],
                },
            )
            for n in range(300)
        ]
        releases.append(
            release(
                "again",
                "2020-03-01T00:00:00Z",
                {"id": "c1", "milestones": [{"id": "m7", "title": "Step seven"}]},
            )
        )
        data = import_ocds(text_of(package(*releases))).data
        names = [m["name"] for m in data["milestones"]]
        assert [f"Step {n}" for n in range(300) if n != 7] == [
            n for n in names if n != "Step seven"
        ]
        assert names[7] == "Step seven"

    def test_list_replaced_then_merged_again(self):
        """A list replaced by plain values merges item by item afresh after."""
        first = {"id": "c1", "milestones": [{"id": "a", "title": "Old A"}]}
        plain = {"id": "c1", "milestones": ["not", "objects"]}
        last = {"id": "c1", "milestones": [{"id": "b", "title": "New B"}]}
        releases = [
            release("r1", "2020-01-01T00:00:00Z", first),
            release("r2", "2020-01-02T00:00:00Z", plain),
            release("r3", "2020-01-03T00:00:00Z", last),
        ]
        data = import_ocds(text_of(package(*releases))).data
        assert ["New B"] == [m["name"] for m in data["milestones"]]

    def test_ordered_by_date(self):
        """Releases merge in the order of their dates, not of the file."""
        releases = milestone_releases()
        forwards = import_ocds(text_of(package(*releases))).data
        backwards = import_ocds(text_of(package(*reversed(releases)))).data
        assert forwards == backwards
        assert [("2018-03-31", "met"), ("2018-12-24", "met")] == [
            (m["done_on"], m["x-ocds-milestone"]["status"])
            for m in forwards["milestones"]
        ]

    def test_dates_in_other_offsets(self):
        """Dates order as instants: 10:00+05:00 is before 06:00Z the same day."""
        early = release(
            "r1", "2020-01-01T10:00:00+05:00", {"id": "c1", "title": "First"}
        )
        late = release("r2", "2020-01-01T06:00:00Z", {"id": "c1", "title": "Second"})
        assert "Second" == import_ocds(text_of(package(late, early))).data["title"]

    def test_objects_merge_by_id(self):
        """Items of lists of objects with `id` merge on it, in first-seen order."""
        first = release(
            "r1",
            "2020-01-01T00:00:00Z",
            {
                "id": "c1",
                "implementation": {
                    "milestones": [
                        {"id": "a", "title": "Design", "dueDate": "2020-02-01"},
                        {"id": "b", "title": "Build", "dueDate": "2020-03-01"},
                    ]
                },
            },
        )
        second = release(
            "r2",
            "2020-02-05T00:00:00Z",
            {
                "id": "c1",
                "implementation": {
                    "milestones": [
                        {"id": "c", "title": "Launch", "dueDate": "2020-04-01"},
                        {"id": "a", "dateMet": "2020-02-03"},
                    ]
                },
            },
        )
        data = import_ocds(text_of(package(first, second))).data
        assert [
            ("Design", "2020-02-01", "2020-02-03"),
            ("Build", "2020-03-01", None),
            ("Launch", "2020-04-01", None),
        ] == [(m["name"], m["due"], m.get("done_on")) for m in data["milestones"]]

    def test_null_removes(self):
        """A null removes the value; the title then falls back to the award's."""
        first = release(
            "r1",
            "2020-01-01T00:00:00Z",
            {
                "id": "c1",
                "awardID": "a1",
                "title": "Old title",
                "dateSigned": "2020-01-01",
            },
            awards=[{"id": "a1", "title": "Award title"}],
        )
        second = release(
            "r2",
            "2020-02-01T00:00:00Z",
            {"id": "c1", "title": None, "dateSigned": None},
        )
        data = import_ocds(text_of(package(first, second))).data
        assert "Award title" == data["title"]
        assert {"kind": "contract"} == data["agreements"][0]

    def test_lists_without_ids_are_replaced(self):
        """A list of objects without `id` is replaced whole, not merged."""
        first = release(
            "r1",
            "2020-01-01T00:00:00Z",
            {
                "id": "c1",
                "implementation": {"transactions": [{"amount": 1}, {"amount": 2}]},
            },
        )
        second = release(
            "r2",
            "2020-02-01T00:00:00Z",
            {"id": "c1", "implementation": {"transactions": [{"amount": 3}]}},
        )
        data = import_ocds(text_of(package(first, second))).data
        assert [{"amount": 3}] == data["x-ocds-payments"]

    @pytest.mark.parametrize(
        ("earlier", "later", "expected"),
        [
            (["buyer", "payer"], ["buyer"], ["buyer"]),
            ([{"id": "1", "a": 1}], [{"id": "2"}], [{"id": "1", "a": 1}, {"id": "2"}]),
            (
                [{"id": "1", "a": 1}],
                [{"id": "1", "b": 2}],
                [{"id": "1", "a": 1, "b": 2}],
            ),
            ([{"id": "1"}], [{"x": 1}], [{"x": 1}]),
            ([{"id": "1"}], [], [{"id": "1"}]),
            (["a"], [], []),
            ({"a": 1, "b": 2}, {"a": None, "c": 3}, {"b": 2, "c": 3}),
            ("text", {"a": 1}, {"a": 1}),
        ],
    )
    def test_merge_rules(self, earlier, later, expected):
        """Literals replace, objects merge, lists of objects with `id` merge by id."""
        compiled = _Compiled()
        compiled.merge(compiled.data, {"field": earlier}, (), ("releases", 0))
        compiled.merge(compiled.data, {"field": later}, (), ("releases", 1))
        assert {"field": expected} == compiled.data

    def test_whole_lists(self):
        """Lists the schema merges whole are replaced though their items have ids."""
        compiled = _Compiled()
        for n, ids in enumerate((["1"], ["2"])):
            value = [{"id": i, "scheme": "X"} for i in ids]
            compiled.merge(compiled.data, {"additionalIdentifiers": value}, (), (n,))
        assert [{"id": "2", "scheme": "X"}] == compiled.data["additionalIdentifiers"]

    def test_origin(self):
        """Each merged value knows where in the file it was written."""
        compiled = _Compiled()
        compiled.merge(compiled.data, {"a": {"b": 1, "c": [1]}}, (), ("releases", 0))
        compiled.merge(compiled.data, {"a": {"b": 2}}, (), ("releases", 1))
        assert ("releases", 1, "a", "b") == compiled.source(("a", "b"))
        assert ("releases", 0, "a", "c", 0) == compiled.source(("a", "c", 0))

    def test_empty_list_of_objects_changes_nothing(self):
        """An empty list where objects with `id` were merges nothing away."""
        first = release(
            "r1",
            "2020-01-01T00:00:00Z",
            {"id": "c1", "implementation": {"milestones": [{"id": "a", "title": "A"}]}},
        )
        second = release(
            "r2",
            "2020-02-01T00:00:00Z",
            {"id": "c1", "implementation": {"milestones": []}},
        )
        data = import_ocds(text_of(package(first, second))).data
        assert ["A"] == [m["name"] for m in data["milestones"]]

    def test_same_id_twice_in_one_release(self):
        """Of two items with one `id` in one release, the last is kept, not merged."""
        contract = {
            "id": "c1",
            "implementation": {
                "milestones": [
                    {"id": "a", "title": "First", "dueDate": "2020-01-05"},
                    {"id": "a", "title": "Second"},
                ]
            },
        }
        data = import_ocds(
            text_of(release("r1", "2020-01-01T00:00:00Z", contract))
        ).data
        assert [("Second", None)] == [
            (m["name"], m.get("due")) for m in data["milestones"]
        ]

    def test_processes_apart(self):
        """Releases of different processes are not merged: one engagement each."""
        one = release("r1", "2020-01-01T00:00:00Z", {"id": "c1"})
        other = {
            **release("r2", "2020-01-01T00:00:00Z", {"id": "c1"}),
            "ocid": "ocds-y",
        }
        data = import_ocds(text_of(package(one, other))).data
        assert ["ocds-x-c1", "ocds-y-c1"] == [e["id"] for e in data["engagements"]]

    def test_release_without_date(self):
        """Among several releases, one without a date is left out, with a problem."""
        dated = release("r1", "2020-01-01T00:00:00Z", {"id": "c1", "title": "Dated"})
        undated = release("r2", None, {"id": "c1", "title": "Undated"})
        del undated["date"]
        text = text_of(package(dated, undated))
        imported = import_ocds(text)
        assert "Dated" == imported.data["title"]
        [problem] = imported.problems
        assert problem.message.startswith("date: expected an ISO 8601 date-time")
        assert problem.message.endswith("got none; the release is left out")
        assert ('release "r2"', line_of(text, '"r2"') - 2) == (
            problem.where,
            problem.line,
        )

    def test_one_release_needs_no_date(self):
        """A process of one release is read whatever its date."""
        alone = release("r1", "whenever", {"id": "c1", "title": "Alone"})
        imported = import_ocds(text_of(package(alone)))
        assert ("Alone", ()) == (imported.data["title"], imported.problems)


class TestAmendments:
    """A contract's amendments are kept as published, merged like other releases'."""

    def test_amendments_of_releases_merge_by_id(self):
        """Each release's amendments are kept under ``x-ocds-amendments``, by id."""
        first = release(
            "r1",
            "2020-01-01T00:00:00Z",
            {
                "id": "c1",
                "amendments": [
                    {"id": "a1", "date": "2020-01-01T00:00:00Z", "rationale": "Typo"}
                ],
            },
        )
        second = release(
            "r2",
            "2020-06-01T00:00:00Z",
            {
                "id": "c1",
                "amendments": [
                    {"id": "a2", "date": "2020-06-01T00:00:00Z", "rationale": "Extend"}
                ],
            },
        )
        data = import_ocds(text_of(package(first, second))).data
        assert [
            {"id": "a1", "date": "2020-01-01T00:00:00Z", "rationale": "Typo"},
            {"id": "a2", "date": "2020-06-01T00:00:00Z", "rationale": "Extend"},
        ] == data["x-ocds-amendments"]

    def test_ocds_10_amendment(self):
        """An OCDS 1.0 contract's one ``amendment`` is kept as ``x-ocds-amendment``."""
        amendment = {
            "date": "2020-06-01T00:00:00Z",
            "changes": [{"property": "value", "former_value": 10}],
            "rationale": "Extra work",
        }
        only = release(
            "r1", "2020-06-01T00:00:00Z", {"id": "c1", "amendment": amendment}
        )
        imported = import_ocds(text_of(package(only)))
        assert () == imported.problems
        assert amendment == imported.data["x-ocds-amendment"]


class TestRecords:
    """Record packages: the compiled release, else the embedded releases merged."""

    def test_compiled_release(self):
        """A record's compiled release is read as it is."""
        imported = read("fictional-1.1-record.json")
        assert CONTRACT == imported.data["id"]
        assert (f'record "{OCID}" contract "{CONTRACT}"') == imported.where[()]

    def test_embedded_releases(self):
        """A record without a compiled release merges its embedded releases."""
        releases = load("fictional-1.1-releases.json")["releases"]
        record = {"records": [{"ocid": OCID, "releases": releases}]}
        assert (
            read("fictional-1.1-releases.json").data
            == import_ocds(text_of(record)).data
        )

    def test_single_record(self):
        """A record alone, not in a package, is read too."""
        record = load("fictional-1.1-record.json")["records"][0]
        assert (
            read("fictional-1.1-record.json").data == import_ocds(text_of(record)).data
        )

    def test_linked_releases_only(self):
        """A record with linked releases only has nothing to read: a problem."""
        doc = load("fictional-1.1-record.json")
        del doc["records"][0]["compiledRelease"]
        text = text_of(doc)
        imported = import_ocds(text)
        assert {"engagements": []} == imported.data
        assert [
            ImportProblem(
                message="record: expected a `compiledRelease` or embedded releases, "
                "got neither (linked releases, which only give a `url`, are not read)",
                line=line_of(text, '"records"') + 1,
                column=5,
                where=f'record "{OCID}"',
            )
        ] == list(imported.problems)


class TestSeveralContracts:
    """A file of several contracts is a portfolio; options select from it."""

    def text(self):
        first = release("r1", "2020-01-01T00:00:00Z", {"id": "c/1"}, {"id": 2})
        other = {
            **release("r9", "2020-01-01T00:00:00Z", {"id": "c3"}),
            "ocid": "ocds-y",
        }
        return text_of(package(first, other))

    def test_portfolio(self):
        """Each contract is an engagement, its id made of the ocid and contract id."""
        imported = import_ocds(self.text())
        assert ["ocds-x-c-1", "ocds-x-2", "ocds-y-c3"] == [
            e["id"] for e in imported.data["engagements"]
        ]
        assert 'release "r1" contract "2"' == imported.where[("engagements", 1)]
        assert 3 == len(ok.loads(json.dumps(imported.data), format="json"))

    @pytest.mark.parametrize(
        ("options", "expected"),
        [
            ({"ocid": "ocds-y"}, "ocds-y-c3"),
            ({"contract": "c/1"}, "ocds-x-c-1"),
            ({"contract": "ocds-x-2"}, "ocds-x-2"),
            ({"ocid": "ocds-x", "contract": "2"}, "ocds-x-2"),
        ],
    )
    def test_select(self, options, expected):
        """`ocid` and `contract` select one engagement, given as one."""
        imported = import_ocds(self.text(), **options)
        assert expected == imported.data["id"]
        assert ("id",) in imported.lines

    def test_select_nothing(self):
        """A contract not in the file is a problem naming those that are."""
        imported = import_ocds(self.text(), contract="c3x")
        assert {"engagements": []} == imported.data
        assert [
            ImportProblem(
                message="option contract: no contract 'c3x' in the file (did you "
                "mean 'c3'?); its contracts: 2, c/1, c3"
            )
        ] == list(imported.problems)

    def test_unknown_process(self):
        """A process not in the file is a problem naming those that are."""
        [problem] = import_ocds(self.text(), ocid="ocds-z").problems
        assert (
            "option ocid: no contract of the process 'ocds-z' in the file (did you "
            "mean 'ocds-y'?); its processes: ocds-x, ocds-y"
        ) == problem.message

    def test_options_checked(self):
        """Options are checked like rule options: unknown ones get a suggestion."""
        with pytest.raises(
            ImporterOptionError,
            match=r"no option 'contracts' \(did you mean 'contract'\?\)",
        ):
            OCDS_IMPORTER.read(
                DATA / "fictional-1.1-contract.json", {"contracts": "c1"}
            )
        imported = OCDS_IMPORTER.read(
            DATA / "fictional-1.1-contract.json", {"contract": CONTRACT}
        )
        assert CONTRACT == imported.data["id"]


class TestLocations:
    """Values and problems are located at their line, release and contract."""

    def test_lines(self):
        """Each value is located where it is written."""
        text = (DATA / "fictional-1.1-contract.json").read_text(encoding="utf-8")
        imported = read("fictional-1.1-contract.json")
        assert line_of(text, f'"id": "{CONTRACT}"') - 1 == imported.lines[()]
        assert (
            line_of(text, '"dateSigned"')
            == imported.lines[("agreements", 0, "signed_on")]
        )
        contract = imported.lines[()]
        assert (
            line_of(text, '"endDate"', after=contract)
            == imported.lines[("agreements", 0, "expires")]
        )
        assert (
            line_of(text, '"name": "AnyCorp Cycle Provision"')
            == imported.lines[("vendor", "name")]
        )
        assert (
            line_of(text, '"documentType": "contractSigned"') + 3
            == imported.lines[("agreements", 0, "document")]
        )

    def test_where(self):
        """Each value is named by its release, contract and milestone."""
        imported = read("milestones-met.json")
        name = 'release "ocds-213czf-000-00001-06-implementation-milestones-2"'
        assert f'{name} contract "{CONTRACT}"' == imported.where[()]
        assert (
            f'{name} contract "{CONTRACT}" milestone "2"'
            == imported.where[("milestones", 1, "due")]
        )

    def test_merged_values_located_in_their_release(self):
        """A merged value is located in the release it was taken from."""
        text = (DATA / "fictional-1.1-releases.json").read_text(encoding="utf-8")
        imported = read("fictional-1.1-releases.json")
        assert WHERE == imported.where[("agreements", 0, "document")]
        assert (
            line_of(text, '"url": "http://example.com/contracts/')
            == imported.lines[("agreements", 0, "document")]
        )
        implementation = 'release "ocds-213czf-000-00001-06-implementation"'
        assert imported.where[("x-ocds-payments",)].startswith(implementation)

    def test_malformed_date(self):
        """A malformed date is a located problem; the rest of the contract is read."""
        doc = load("fictional-1.1-contract.json")
        doc["releases"][0]["contracts"][0]["dateSigned"] = "10/06/2010"
        text = text_of(doc)
        imported = import_ocds(text)
        assert [
            ImportProblem(
                message="dateSigned: expected an ISO 8601 date-time such as "
                "2010-06-10T14:23:12Z, got '10/06/2010'",
                line=line_of(text, "10/06/2010"),
                column=25,
                where=WHERE,
            )
        ] == list(imported.problems)
        assert "signed_on" not in imported.data["agreements"][0]
        assert "10/06/2010" == imported.data["agreements"][0]["x-ocds-date-signed"]
        assert "2010-07-01" == imported.data["start"]

    @pytest.mark.parametrize(
        "value",
        ["2010-02-30", "2010-06-10T25:00:00Z", "2010-06-10T14:23:12+2", 20100610],
    )
    def test_impossible_dates(self, value):
        """Dates that do not exist or are no text are problems."""
        contract = {"id": "c1", "period": {"startDate": value, "endDate": "2011-01-01"}}
        imported = import_ocds(text_of(release("r1", "2020-01-01T00:00:00Z", contract)))
        [problem] = imported.problems
        assert problem.message.startswith("period.startDate: expected an ISO 8601")
        assert ("start" not in imported.data, "2011-01-01") == (
            True,
            imported.data["end"],
        )

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ("2011-10-18T08:54:21.000Z", "2011-10-18"),
            ("2011-10-18", "2011-10-18"),
            ("2011-10-18T23:30:00-05:00", "2011-10-18"),
            ("2011-10-18T00:30:00+0530", "2011-10-18"),
        ],
    )
    def test_date_forms(self, value, expected):
        """Fractions of seconds, bare dates and offsets without a colon are read."""
        contract = {"id": "c1", "dateSigned": value}
        data = import_ocds(
            text_of(release("r1", "2020-01-01T00:00:00Z", contract))
        ).data
        assert expected == data["agreements"][0]["signed_on"]

    def test_release_without_ocid(self):
        """A release without `ocid` is a located problem; the others are read."""
        good = release("r1", "2020-01-01T00:00:00Z", {"id": "c1"})
        bad = release("r2", "2020-01-01T00:00:00Z", {"id": "c2"})
        del bad["ocid"]
        text = text_of(package(good, bad, "junk"))
        imported = import_ocds(text)
        assert "ocds-x-c1" == imported.data["id"]
        assert [
            (
                "ocid: expected the id of the release's contracting process, got none",
                line_of(text, '"r2"') - 1,
                'release "r2"',
            ),
            (
                "release: expected an object, got 'junk'",
                line_of(text, '"junk"'),
                "release #3",
            ),
        ] == [(p.message, p.line, p.where) for p in imported.problems]

    def test_bad_milestone(self):
        """A milestone that is no object is a problem; the other milestones are read."""
        contract = {
            "id": "c1",
            "implementation": {"milestones": [5, {"id": "m2", "title": "B"}]},
        }
        imported = import_ocds(text_of(release("r1", "2020-01-01T00:00:00Z", contract)))
        assert ["B"] == [m["name"] for m in imported.data["milestones"]]
        assert ['release "r1" contract "c1" milestone #1'] == [
            p.where for p in imported.problems
        ]

    def test_contract_without_id(self):
        """A contract without an `id` is a problem; the others are read."""
        text = text_of(
            release("r1", "2020-01-01T00:00:00Z", {"title": "no id"}, {"id": "c2"})
        )
        imported = import_ocds(text)
        assert "ocds-x-c2" == imported.data["id"]
        assert ["contract #1: expected an object with an `id`, got an object"] == [
            p.message for p in imported.problems
        ]


class TestBadFiles:
    """A file that is not OCDS JSON is one problem, never an exception."""

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            (
                '{"releases": [}',
                ImportProblem(message="not JSON: Expecting value", line=1, column=15),
            ),
            ("", ImportProblem(message="not JSON: Expecting value", line=1, column=1)),
            (
                '{"releases": [{"ocid": "a\tb"}]}',
                ImportProblem(
                    message="not JSON: control character U+0009 in a string: JSON "
                    "writes it escaped, as \\u0009",
                    line=1,
                    column=26,
                ),
            ),
            (
                '{"releases": [{"ocid": "ab',
                ImportProblem(
                    message="not JSON: Unterminated string", line=1, column=24
                ),
            ),
            (
                '{"releases": []}\n{}',
                ImportProblem(message="not JSON: Extra data", line=2, column=1),
            ),
            (
                '{"id": "acme", "title": "An engagement"}',
                ImportProblem(
                    message=f"not OCDS data: expected {SHAPES} at the top level, "
                    "got keys `id`, `title`",
                    line=1,
                ),
            ),
            (
                "[1, 2]",
                ImportProblem(
                    message=f"not OCDS data: expected {SHAPES}, got a list",
                    line=1,
                ),
            ),
            (
                '{"releases": 3}',
                ImportProblem(
                    message="releases: expected a list of releases, got 3", line=1
                ),
            ),
            (
                '{"records": {}}',
                ImportProblem(
                    message="records: expected a list of records, got an object", line=1
                ),
            ),
        ],
    )
    def test_one_problem(self, text, expected):
        """Text that is not JSON, or JSON that is not OCDS, is one problem."""
        imported = import_ocds(text)
        assert ({}, [expected]) == (imported.data, list(imported.problems))

    def test_key_written_twice(self):
        """A key written twice is a problem naming it, where each is; no data.

        Which of the two was meant is unknown: the first list of releases is
        not silently replaced by the second, empty one.
        """
        text = (
            '{"releases":[{"ocid":"o","id":"r","date":"2020-01-01",'
            '"contracts":[{"id":"c"}]}],"releases":[]}'
        )
        imported = import_ocds(text)
        assert (
            {},
            [
                ImportProblem(
                    message="duplicate key `releases`: a key may appear once in an "
                    "object, it is first at line 1, column 2",
                    line=1,
                    column=82,
                    where="releases",
                )
            ],
        ) == (imported.data, list(imported.problems))

    def test_keys_written_twice_inside_a_contract(self):
        """Every key written twice is a problem, at any depth, located by line."""
        contract = '{"id": "c1", "title": "T", "title": "U", "status": "active"}'
        text = text_of(release("r1", "2020-01-01T00:00:00Z")).replace(
            '"contracts": []', f'"contracts": [\n{contract}\n]'
        )
        text = text.replace('"id": "r1"', '"id": "r1",\n  "id": "r2"')
        imported = import_ocds(text)
        assert (
            {},
            [
                ImportProblem(
                    message="duplicate key `id`: a key may appear once in an object, "
                    "it is first at line 3, column 3",
                    line=4,
                    column=3,
                    where="id",
                ),
                ImportProblem(
                    message="duplicate key `title`: a key may appear once in an "
                    "object, it is first at line 7, column 14",
                    line=7,
                    column=28,
                    where="contracts[0].title",
                ),
            ],
        ) == (imported.data, list(imported.problems))

    def test_key_written_twice_very_deep(self):
        """A key written twice deeper than keys are located is still a problem."""
        deep = '{"a": 1, "a": 2}'
        for _ in range(MAX_DEPTH + 20):
            deep = f'{{"b": {deep}}}'
        text = text_of(release("r1", "2020-01-01T00:00:00Z", {"id": "c1"}))
        text = text.replace('"id": "c1"', f'"id": "c1", "x": {deep}')
        imported = import_ocds(text)
        assert ({}, [ImportProblem(message="duplicate key in an object")]) == (
            imported.data,
            list(imported.problems),
        )

    def test_key_written_twice_in_broken_json(self):
        """JSON broken after a key written twice is told as broken JSON."""
        imported = import_ocds('{"releases": [], "releases": [}')
        assert [
            ImportProblem(message="not JSON: Expecting value", line=1, column=31)
        ] == list(imported.problems)

    def test_colons_in_text_are_no_keys(self):
        """Text holding what looks like a key is read as usual: no key is twice."""
        contract = {"id": "c1", "title": 'say "a": 1, "a": 2', "description": '":'}
        text = json.dumps(release("r1", "2020-01-01T00:00:00Z", contract))
        imported = import_ocds(text)
        assert ('say "a": 1, "a": 2', ()) == (
            imported.data["title"],
            imported.problems,
        )

    def test_too_deep(self):
        """JSON nested deeper than Python reads is a problem, not a crash."""
        text = '{"releases": [' + "[" * 200_000 + "]" * 200_000 + "]}"
        [problem] = import_ocds(text).problems
        assert "not JSON that can be read: it is nested too deeply" == problem.message

    def test_kept_value_too_deep(self):
        """A value to keep nested beyond the limit is left out, with a problem."""
        deep: object = "bottom"
        for _ in range(MAX_DEPTH):
            deep = {"a": deep}
        contract = {"id": "c1", "value": deep, "title": "Still read"}
        imported = import_ocds(text_of(release("r1", "2020-01-01T00:00:00Z", contract)))
        assert "Still read" == imported.data["title"]
        assert "x-ocds-value" not in imported.data
        [problem] = imported.problems
        assert problem.message == (
            f"value: nested more than {MAX_DEPTH} levels deep; it is left out of "
            "x-ocds-value"
        )

    def test_not_utf8(self, tmp_path):
        """A file that is not UTF-8 is a problem naming the byte and its line."""
        path = tmp_path / "latin1.json"
        path.write_bytes(b'{"releases": [\n{"ocid": "caf\xe9"}]}')
        assert [
            ImportProblem(message="not UTF-8 text: byte 0xe9 cannot be decoded", line=2)
        ] == list(read_ocds(path, {}).problems)

    @pytest.mark.parametrize(
        ("encoding", "name"),
        [
            ("utf-16-le", "UTF-16"),
            ("utf-16-be", "UTF-16"),
            ("utf-32-le", "UTF-32"),
        ],
    )
    def test_wide_encoding(self, tmp_path, encoding, name):
        """A file in UTF-16 or UTF-32 with its byte-order mark is named so.

        JSON is exchanged in UTF-8: the problem says what the file is and
        what to do, at line 1.
        """
        path = tmp_path / "package.json"
        text = (DATA / "fictional-1.1-releases.json").read_text(encoding="utf-8")
        path.write_bytes(("\ufeff" + text).encode(encoding))
        assert [
            ImportProblem(
                message=f"not UTF-8 text: the file is {name} (it starts with the "
                f"byte-order mark of {name}); save it as UTF-8, in which JSON "
                "files are exchanged",
                line=1,
            )
        ] == list(read_ocds(path, {}).problems)

    @pytest.mark.parametrize(
        ("item", "command"),
        [
            ("release", "package-releases"),
            ("release package", "combine-release-packages"),
            ("record package", "combine-record-packages"),
        ],
    )
    def test_json_lines(self, tmp_path, item, command):
        """A file of one release or package a line (JSON Lines) is not read.

        The problem says so at the second line, and how to make one package
        of them.
        """
        releases = load("fictional-1.1-releases.json")["releases"][:3]
        head = {"uri": "https://example.com/p.json", "version": "1.1"}
        values = {
            "release": releases,
            "release package": [{**head, "releases": [r]} for r in releases],
            "record package": [
                {**head, "records": [{"ocid": r["ocid"], "releases": [r]}]}
                for r in releases
            ],
        }[item]
        path = tmp_path / "bulk.jsonl"
        path.write_text("".join(json.dumps(v) + "\n" for v in values), encoding="utf-8")
        assert [
            ImportProblem(
                message="not JSON: the file holds a JSON value on each line (JSON "
                "Lines), and the ocds importer reads one release or record package "
                f"a file; make one package of them first, as `ocdskit {command}` "
                "does, reading the lines on its standard input",
                line=2,
                column=1,
            )
        ] == list(read_ocds(path, {}).problems)

    @pytest.mark.parametrize("indent", [2, None])
    def test_packages_written_on_many_lines_one_after_another(self, tmp_path, indent):
        """Two packages, the first on many lines, are broken JSON, not JSON Lines.

        Only a file whose first line alone is a JSON value is told as JSON Lines.
        """
        package = load("fictional-1.1-releases.json")
        first = json.dumps(package, indent=2)
        path = tmp_path / "packages.json"
        path.write_text(
            f"{first}\n{json.dumps(package, indent=indent)}\n", encoding="utf-8"
        )
        assert [
            ImportProblem(
                message="not JSON: Extra data",
                line=first.count("\n") + 2,
                column=1,
            )
        ] == list(read_ocds(path, {}).problems)

    def test_extra_data_that_is_no_json_lines(self, tmp_path):
        """Text after the package that is no JSON is told as broken JSON."""
        path = tmp_path / "package.json"
        path.write_text('{"releases": []}\n}', encoding="utf-8")
        assert [
            ImportProblem(message="not JSON: Extra data", line=2, column=1)
        ] == list(read_ocds(path, {}).problems)

    def test_unreadable(self, tmp_path):
        """A file that cannot be read is a problem saying why."""
        [problem] = read_ocds(tmp_path / "missing.json", {}).problems
        assert problem.message.startswith("cannot read the file: [Errno 2]")

    def test_byte_order_mark(self, tmp_path):
        """A byte-order mark before the JSON is skipped; lines still count."""
        path = tmp_path / "bom.json"
        path.write_bytes(
            b"\xef\xbb\xbf" + (DATA / "fictional-1.1-contract.json").read_bytes()
        )
        assert read("fictional-1.1-contract.json") == read_ocds(path, {})

    def test_half_surrogate(self):
        """Half a surrogate pair in kept text is replaced, with a problem."""
        text = text_of(
            release("r1", "2020-01-01T00:00:00Z", {"id": "c1", "title": "A\ud800B"})
        )
        imported = import_ocds(text)
        assert "A\ufffdB" == imported.data["title"]
        [problem] = imported.problems
        assert problem.message.startswith("text holds half of a surrogate pair")
        assert line_of(text, '"title"') == problem.line

    def test_no_contract_yet(self):
        """A process without a contract yet (a tender) gives no engagement."""
        tender = load("fictional-1.1-releases.json")
        tender["releases"] = tender["releases"][:2]
        assert ({"engagements": []}, ()) == (
            import_ocds(text_of(tender)).data,
            import_ocds(text_of(tender)).problems,
        )

    def test_input_unchanged(self):
        """Merging releases never changes the data it reads from."""
        releases = milestone_releases()
        before = copy.deepcopy(releases)
        import_ocds(text_of(package(*releases)))
        assert before == releases


def _runner() -> CliRunner:
    """A runner that keeps stderr apart from stdout, on every click version."""
    if "mix_stderr" in inspect.signature(CliRunner).parameters:
        return CliRunner(mix_stderr=False)  # pragma: no cover - click 8.1
    return CliRunner()


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """A folder holding the real OCDS files, as the working directory."""
    for path in DATA.glob("*.json"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(plugins.ENV_LOAD_PLUGINS, "")
    plugins.reset()
    yield tmp_path
    plugins.reset()


ENGAGEMENT = """\
id: barnet-cycle-lanes
owner: Dana Reyes
client: {timezone: Europe/London}
imports:
  - path: fictional-1.1-releases.json
    importer: ocds
"""


@pytest.mark.usefixtures("folder")
class TestEndToEnd:
    """OCDS files load, check and import through the library and the command line."""

    def test_load(self):
        """A package named explicitly loads as its engagements."""
        [engagement] = ok.load("fictional-1.1-releases.json")
        assert CONTRACT == engagement.id
        assert dt.date(2010, 6, 10) == engagement.agreements[0].signed_on
        assert "fictional-1.1-releases.json" == engagement.origin.source

    def test_load_errors_located(self):
        """Problems of the file are load errors at their line, with their place."""
        doc = load("fictional-1.1-contract.json")
        doc["releases"][0]["contracts"][0]["dateSigned"] = "10/06/2010"
        Path("bad.json").write_text(text_of(doc), encoding="utf-8")
        with pytest.raises(ok.LoadError) as caught:
            ok.load("bad.json")
        line = line_of(text_of(doc), "10/06/2010")
        assert (
            f"bad.json:{line}:25: {WHERE}: dateSigned: expected an ISO 8601 "
            "date-time such as 2010-06-10T14:23:12Z, got '10/06/2010'"
        ) == str(caught.value)

    def test_check(self):
        """`outsourcekit check` reads a package named on the command line."""
        args = ["check", "fictional-1.0-record.json", "--as-of", "2011-01-01"]
        result = _runner().invoke(cli, [*args, "--format", "json"])
        report = json.loads(result.stdout)
        assert [CONTRACT] == [e["id"] for e in report["engagements"]]
        assert [] == report["errors"]
        contract = read("fictional-1.0-record.json").lines[()]
        assert {contract} == {
            f["line"] for f in report["findings"] if f["path"] == "agreements"
        }

    def test_import(self):
        """`outsourcekit import` prints the engagement in the file format."""
        result = _runner().invoke(cli, ["import", "financial-milestones.json"])
        assert (0, "") == (result.exit_code, result.stderr)
        expected = ok.from_dict(read("financial-milestones.json").data)
        assert ok.to_dict(expected) == ok.to_dict(
            ok.loads(result.stdout, format="yaml")
        )

    def test_import_problems(self):
        """`outsourcekit import` prints what reads and the problems, exit status 2."""
        doc = load("fictional-1.1-contract.json")
        doc["releases"][0]["contracts"][0]["status"] = "signed"
        Path("bad.json").write_text(text_of(doc), encoding="utf-8")
        result = _runner().invoke(cli, ["import", "bad.json", "--format", "json"])
        assert 2 == result.exit_code
        assert "status" not in json.loads(result.stdout)
        line = line_of(text_of(doc), '"signed"')
        assert (
            f"error: bad.json:{line}:21: {WHERE}: status: expected one of pending, "
            "active, terminated, cancelled, got 'signed'\n"
        ) == result.stderr

    def test_import_options(self):
        """`--option` selects the contract to read."""
        args = ["import", "fictional-1.1-releases.json", "--format", "json"]
        result = _runner().invoke(cli, [*args, "--option", f"contract={CONTRACT}"])
        assert 0 == result.exit_code, result.stderr
        engagement = json.loads(result.stdout)
        assert CONTRACT == engagement["id"]
        assert "London Borough of Barnet" == engagement["client"]["name"]

    def test_imports(self):
        """Under `imports:`, one contract's facts merge into the engagement."""
        Path("barnet.yaml").write_text(ENGAGEMENT, encoding="utf-8")
        engagement = ok.load("barnet.yaml")
        assert "barnet-cycle-lanes" == engagement.id
        assert ("Dana Reyes", "Europe/London") == (
            engagement.owner,
            engagement.client.timezone.text,
        )
        assert "London Borough of Barnet" == engagement.client.name
        assert "AnyCorp Cycle Provision" == engagement.vendor.name
        assert dt.date(2010, 6, 10) == engagement.agreements[0].signed_on
        assert OCID == engagement.extensions["x-ocds-ocid"]

    def test_imports_several_contracts(self):
        """Under `imports:`, a file of several contracts needs the one named."""
        text = text_of(
            package(release("r1", "2020-01-01T00:00:00Z", {"id": "c1"}, {"id": "c2"}))
        )
        Path("two.json").write_text(text, encoding="utf-8")
        Path("e.yaml").write_text(
            ENGAGEMENT.replace("fictional-1.1-releases.json", "two.json"),
            encoding="utf-8",
        )
        with pytest.raises(ok.LoadError, match="the file holds 2 engagements"):
            ok.load("e.yaml")
        Path("e.yaml").write_text(
            ENGAGEMENT.replace("fictional-1.1-releases.json", "two.json")
            + "    options: {contract: c2}\n",
            encoding="utf-8",
        )
        assert "barnet-cycle-lanes" == ok.load("e.yaml").id


_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.sampled_from(["", "x", "c/1", "2020-01-01", "2020-01-01T00:00:00+04:30"]),
    st.sampled_from(["pending", "active", "met", "contractSigned", "supplier"]),
)
_KEYS = st.sampled_from(
    [
        "id",
        "ocid",
        "date",
        "title",
        "status",
        "finalStatus",
        "period",
        "startDate",
        "endDate",
        "dateSigned",
        "documents",
        "documentType",
        "url",
        "implementation",
        "milestones",
        "transactions",
        "dueDate",
        "dateMet",
        "parties",
        "roles",
        "name",
        "buyer",
        "awards",
        "awardID",
        "suppliers",
        "contracts",
        "identifier",
        "scheme",
        "legalName",
        "value",
        "address",
        "country",
        "releases",
        "records",
        "compiledRelease",
    ]
)
_JSON = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(_KEYS, inner, max_size=5)
    ),
    max_leaves=25,
)


_CONTRACT = st.fixed_dictionaries(
    {"id": st.sampled_from(["c1", "c/2", 3, ""])},
    optional=dict.fromkeys(
        (
            "title",
            "status",
            "finalStatus",
            "period",
            "dateSigned",
            "documents",
            "implementation",
            "milestones",
            "awardID",
            "value",
        ),
        _JSON | _SCALARS,
    ),
)
_RELEASE = st.fixed_dictionaries(
    {
        "ocid": st.sampled_from(["ocds-1", "ocds 2"]),
        "date": _SCALARS,
        "contracts": st.lists(_CONTRACT, max_size=2) | _JSON,
    },
    optional={
        "parties": _JSON,
        "awards": _JSON,
        "buyer": _JSON,
        "id": _SCALARS,
    },
)


class TestAnyInput:
    """Whatever OCDS-like JSON holds, the importer answers with data or problems."""

    @given(st.lists(_RELEASE | _JSON, max_size=4))
    def test_never_raises(self, releases):
        """Import never raises, and what it reads loads as engagements."""
        imported = import_ocds(json.dumps({"releases": releases}, indent=1))
        data = imported.data
        for engagement in data.get("engagements", [data] if "id" in data else []):
            ok.from_dict(engagement)
        assert all(isinstance(p, ImportProblem) for p in imported.problems)


def contract_release(contract, **fields):
    """A release package of one release of ``ocds-x`` with *contract*."""
    return package(release("r1", "2020-01-01T00:00:00Z", contract, **fields))


class TestOutOfRange:
    """Values the file format cannot hold are left out, with a problem."""

    OPEN: ClassVar = {
        "id": "c",
        "title": "Cleaning",
        "period": {
            "startDate": "2020-01-01T00:00:00Z",
            "endDate": "9999-12-31T00:00:00Z",
        },
    }

    def test_open_end(self):
        """An end of 9999-12-31 is left out; the rest of the contract is read."""
        text = text_of(contract_release(self.OPEN))
        imported = import_ocds(text)
        assert ("Cleaning", "2020-01-01") == (
            imported.data["title"],
            imported.data["start"],
        )
        assert "end" not in imported.data
        assert "expires" not in imported.data["agreements"][0]
        assert self.OPEN["period"] == imported.data["x-ocds-period"]
        assert [
            ImportProblem(
                message="period.endDate: expected a date from 1900-01-01 to "
                "2999-12-31, got '9999-12-31T00:00:00Z'",
                line=line_of(text, "9999-12-31"),
                column=24,
                where='release "r1" contract "c"',
            )
        ] == list(imported.problems)

    @pytest.mark.usefixtures("folder")
    def test_open_end_loads(self):
        """Loaded directly, the contract is an engagement, the problem a load error."""
        Path("open.json").write_text(
            json.dumps(contract_release(self.OPEN)), encoding="utf-8"
        )
        with pytest.raises(ok.LoadError) as caught:
            ok.load("open.json")
        [engagement] = caught.value.loaded
        assert (dt.date(2020, 1, 1), None) == (engagement.start, engagement.end)
        [issue] = caught.value.issues
        assert "period.endDate: expected a date from 1900-01-01" in issue.message
        assert issue.column is not None

    @pytest.mark.parametrize("value", ["9999-12-31", "1899-12-31T23:00:00Z"])
    def test_milestone_and_signature(self, value):
        """Milestone dates and `dateSigned` out of range are left out too."""
        contract = {
            "id": "c",
            "dateSigned": value,
            "milestones": [{"id": "m", "title": "Done", "dueDate": value}],
        }
        imported = import_ocds(text_of(contract_release(contract)))
        [milestone] = imported.data["milestones"]
        assert "due" not in milestone
        assert value == milestone["x-ocds-milestone"]["dueDate"]
        assert "signed_on" not in imported.data["agreements"][0]
        assert ["dateSigned", "dueDate"] == sorted(
            p.message.split(":")[0] for p in imported.problems
        )
        ok.from_dict(imported.data)

    def test_infinite_amount(self):
        """An amount too large to hold is left out of the value kept as published."""
        contract = {
            "id": "c",
            "title": "Cleaning",
            "value": {"amount": 1e400, "currency": "GBP"},
            "implementation": {
                "transactions": [{"id": "t", "value": {"amount": float("nan")}}]
            },
        }
        text = text_of(contract_release(contract))
        imported = import_ocds(text)
        assert {"currency": "GBP"} == imported.data["x-ocds-value"]
        assert [{"id": "t", "value": {}}] == imported.data["x-ocds-payments"]
        assert [
            (
                "value.amount: expected a finite number, got a number too large to "
                "hold; a value that is not a finite number means nothing and is left "
                "out of x-ocds-value"
            ),
            (
                "transactions[0].value.amount: expected a finite number, got NaN; a "
                "value that is not a finite number means nothing and is left out of "
                "x-ocds-payments"
            ),
        ] == [p.message for p in imported.problems]
        assert line_of(text, '"value"') == imported.problems[0].line
        ok.dumps(ok.from_dict(imported.data), format="json")

    def test_infinite_value(self):
        """A kept value that is itself infinite is left out whole."""
        contract = {"id": "c", "awardID": 1e400}
        imported = import_ocds(text_of(contract_release(contract)))
        assert "x-ocds-award-id" not in imported.data
        assert [
            (
                "awardID: expected a finite number, got a number too large to hold; "
                "a value that is not a finite number means nothing and is left out of "
                "x-ocds-award-id"
            )
        ] == [p.message for p in imported.problems]


class TestLongPackageMetadata:
    """A package whose `records` or `releases` come after the first 64 KiB."""

    def urls(self):
        return [f"https://example.com/releases/{n}.json" for n in range(3000)]

    def test_record_package(self):
        """A record package with a long list of `packages` first is OCDS."""
        doc = {
            "uri": "https://example.com/records.json",
            "publishedDate": "2020-01-01T00:00:00Z",
            "publisher": {"name": "Example"},
            "version": "1.1",
            "packages": self.urls(),
            "records": [],
        }
        head = text_of(doc)[: plugins.SNIFF_CHARS]
        assert '"records"' not in head
        assert is_ocds(head)

    @pytest.mark.parametrize(
        "doc",
        [
            {"version": "1.1", "packages": "urls", "publishedDate": "2020-01-01"},
            {"publishedDate": "2020-01-01", "extensions": ["https://x"]},
            {"publicationPolicy": "https://x", "license": "https://y"},
        ],
    )
    def test_metadata_before_releases(self, doc):
        """Metadata only a package has, cut off before `releases`, is OCDS."""
        text = text_of({**doc, "publisher": {"name": "x" * 70_000}, "releases": []})
        assert is_ocds(text[: plugins.SNIFF_CHARS])

    @pytest.mark.parametrize(
        "doc",
        [
            # Metadata any JSON may have: not enough.
            {"version": "1.1", "license": "MIT", "uri": "x" * 70_000},
            # `packages` that is no list of URLs (a lock file).
            {"version": "3", "packages": {"a": "x" * 70_000}},
            # A key no package has, before or after the metadata.
            {"publishedDate": "2020-01-01", "name": "site", "uri": "x" * 70_000},
            {"id": "acme", "publishedDate": "2020-01-01", "x-notes": "x" * 70_000},
            {"publishedDate": "2020-01-01", "x-notes": "x" * 70_000, "id": "acme"},
            # Metadata whose object ends: the whole file was seen, without releases.
            {"publishedDate": "2020-01-01", "packages": []},
        ],
    )
    def test_other_json(self, doc):
        """JSON without a package's own metadata, or with other keys, is not OCDS."""
        assert not is_ocds(text_of(doc)[: plugins.SNIFF_CHARS])

    @pytest.mark.parametrize(
        "path",
        sorted([*examples_path().glob("*.json"), *examples_path().glob("*/*.json")]),
        ids=lambda p: p.name,
    )
    def test_engagement_files_cut_off(self, path):
        """No engagement file, cut anywhere, is taken for OCDS."""
        text = path.read_text(encoding="utf-8")
        for end in range(0, len(text), max(1, len(text) // 200)):
            assert not is_ocds(text[:end])

    @given(
        st.dictionaries(
            st.sampled_from(
                ["id", "title", "owner", "x-ocds", "version", "engagements", "uri"]
            ),
            st.text(max_size=5),
            min_size=1,
        ),
        st.integers(min_value=0, max_value=200),
    )
    def test_engagement_like_is_not_ocds(self, doc, end):
        """An object with an engagement's keys is never OCDS, cut anywhere."""
        assert not is_ocds(json.dumps(doc)[:end])

    @pytest.mark.usefixtures("folder")
    def test_loaded(self):
        """Named on the command line, such a package is read by the importer."""
        doc = {
            "publishedDate": "2020-01-01T00:00:00Z",
            "packages": self.urls(),
            "releases": [release("r1", "2020-01-01T00:00:00Z", {"id": "c1"})],
        }
        Path("long.json").write_text(text_of(doc), encoding="utf-8")
        [engagement] = ok.load_all(["long.json"])
        assert "ocds-x-c1" == engagement.id


class TestIds:
    """Different contracts get different engagement ids."""

    def text(self):
        first = release(
            "r1", "2020-01-01T00:00:00Z", {"id": "1/2"}, {"id": "1-2"}, {"id": "1 2"}
        )
        other = {
            **release("r2", "2020-01-01T00:00:00Z", {"id": "2"}),
            "ocid": "ocds-a-1",
        }
        first["ocid"] = "ocds-a"
        return text_of(package(first, other, release("r3", "2020-01-01", {"id": "3"})))

    def test_distinct(self):
        """The first keeps its id; later ones get a hash of their ocid and id."""
        engagements = import_ocds(self.text()).data["engagements"]
        assert [
            "ocds-a-1-2",
            "ocds-a-1-2-02ad1152",
            "ocds-a-1-2-5921e692",
            "ocds-a-1-2-e700ba76",
            "ocds-x-3",
        ] == [e["id"] for e in engagements]
        assert 5 == len(ok.loads(json.dumps({"engagements": engagements}), "json"))

    def test_hash_is_documented(self):
        """The hash is the SHA-256 of the ocid and the id as a JSON list."""
        import hashlib

        digest = hashlib.sha256(json.dumps(["ocds-a", "1-2"]).encode()).hexdigest()
        assert "02ad1152" == digest[:8]

    def test_select(self):
        """The option `contract` selects each of them by its own id."""
        assert (
            "ocds-a-1-2-5921e692" == import_ocds(self.text(), contract="1 2").data["id"]
        )
        assert "ocds-a-1-2" == import_ocds(self.text(), contract="1/2").data["id"]

    def test_ids_without_collision_unchanged(self):
        """Contracts that share no id keep theirs, whatever the order."""
        imported = import_ocds(TestSeveralContracts().text())
        assert ["ocds-x-c-1", "ocds-x-2", "ocds-y-c3"] == [
            e["id"] for e in imported.data["engagements"]
        ]

    def test_contract_read_twice(self):
        """A contract of a process read twice is a problem naming both places."""
        record = {
            "ocid": "ocds-a",
            "compiledRelease": release("r", "2020", {"id": "c"}),
        }
        text = text_of({"records": [record, copy.deepcopy(record)]})
        imported = import_ocds(text)
        assert "ocds-a-c" == imported.data["id"]
        [problem] = imported.problems
        first = line_of(text, '"id": "c"')
        assert (
            'id: the process "ocds-a" has a contract "c" already (record "ocds-a" '
            f'contract "c", line {first}); a contract is read once, so this one is '
            "left out"
        ) == problem.message
        assert line_of(text, '"id": "c"', after=first) == problem.line
        assert 'record "ocds-a" contract "c"' == problem.where


class TestWrongTypes:
    """Parts of the wrong type are problems at their place; the rest is read."""

    def test_process(self):
        """`parties`, `buyer` and `awards` of the wrong type are problems."""
        contract = {"id": "c", "title": "Still read"}
        text = text_of(
            contract_release(contract, parties="x", buyer="B", awards=["a", {"id": 1}])
        )
        imported = import_ocds(text)
        assert "Still read" == imported.data["title"]
        assert [
            ("parties: expected a list of organizations, got 'x'", 'release "r1"'),
            (
                "buyer: expected an object naming an organization, got 'B'",
                'release "r1"',
            ),
            ("award: expected an object, got 'a'", 'release "r1" award #1'),
        ] == [(p.message, p.where) for p in imported.problems]
        assert [line_of(text, '"parties"'), line_of(text, '"buyer"')] == [
            p.line for p in imported.problems[:2]
        ]

    def test_contract(self):
        """A `period`, documents or milestones of the wrong type are problems."""
        contract = {
            "id": "c",
            "title": "Still read",
            "period": "2020",
            "documents": [
                "x",
                {"id": "d", "documentType": "contractSigned", "url": 5},
            ],
            "milestones": {"id": "m"},
        }
        text = text_of(contract_release(contract))
        imported = import_ocds(text)
        assert "Still read" == imported.data["title"]
        assert "2020" == imported.data["x-ocds-period"]
        assert [
            (
                "period: expected an object with `startDate` and `endDate`, got '2020'",
                "",
            ),
            ("document: expected an object, got 'x'", " document #1"),
            ("url: expected the document's URL as text, got 5", ' document "d"'),
            ("milestones: expected a list of milestones, got an object", ""),
        ] == [
            (p.message, p.where.removeprefix('release "r1" contract "c"'))
            for p in imported.problems
        ]
        assert line_of(text, '"url": 5') == imported.problems[2].line

    def test_titles(self):
        """A contract's or milestone's title that is no text is a problem."""
        contract = {
            "id": "c",
            "title": 5,
            "milestones": [{"id": "m", "title": ["Kick-off"]}],
        }
        text = text_of(contract_release(contract))
        imported = import_ocds(text)
        assert "title" not in imported.data
        assert "milestone m" == imported.data["milestones"][0]["name"]
        assert [
            ("title: expected text, got 5", "", line_of(text, '"title": 5')),
            (
                "title: expected text, got a list",
                ' milestone "m"',
                line_of(text, '"title": ['),
            ),
        ] == [
            (p.message, p.where.removeprefix('release "r1" contract "c"'), p.line)
            for p in imported.problems
        ]

    def test_titles_read_from_the_award_and_the_tender(self):
        """A title taken from the award or the tender that is no text is a problem."""
        awards = [{"id": "a1", "title": 42, "suppliers": [{"name": "S"}]}]
        contract = {"id": "c", "awardID": "a1"}
        text = text_of(
            contract_release(contract, awards=awards, tender={"title": ["x"]})
        )

        imported = import_ocds(text)

        assert "title" not in imported.data
        assert [
            ("title: expected text, got 42", line_of(text, '"title": 42')),
            ("title: expected text, got a list", line_of(text, '"title": [')),
        ] == [(p.message, p.line) for p in imported.problems]

    def test_unknown_award(self):
        """An `awardID` no award has is a problem naming the awards."""
        awards = [{"id": "a1", "suppliers": [{"name": "S"}]}]
        contract = {"id": "c", "awardID": "a2"}
        text = text_of(contract_release(contract, awards=awards))
        [problem] = import_ocds(text).problems
        assert (
            "awardID: expected the id of one of the process's awards (a1), got 'a2'; "
            "the vendor is not read from an award"
        ) == problem.message
        assert line_of(text, '"awardID"') == problem.line

    def test_award_not_restated(self):
        """A release without awards (an implementation update) is no problem."""
        assert () == read("milestones-met.json").problems


class TestKeys:
    """Object keys are text like any other."""

    def test_half_surrogate_in_key(self):
        """A key holding half a surrogate pair is renamed, with a problem."""
        value = {"\ud800": 1, "b": 3}
        value["\ufffd"] = 2  # the name the first key would take
        contract = {"id": "c", "value": value}
        text = text_of(contract_release(contract))
        imported = import_ocds(text)
        kept = imported.data["x-ocds-value"]
        assert [("\ufffd\ufffd", 1), ("b", 3), ("\ufffd", 2)] == list(kept.items())
        [problem] = imported.problems
        assert problem.message.startswith("a key holds half of a surrogate pair")
        assert line_of(text, '"value"') == problem.line
        engagement = ok.from_dict(imported.data)
        assert '"b": 3' in ok.dumps(engagement, format="json")


class TestMessages:
    """Problems say what is wrong, and where."""

    @pytest.mark.parametrize(("value", "shown"), [(1.5, "1.5"), (True, "true")])
    def test_contract_id_not_text(self, value, shown):
        """An `id` that is neither text nor a whole number is named as such."""
        text = text_of(contract_release({"id": value}))
        [problem] = import_ocds(text).problems
        assert (
            f"contract #1: id: expected text or a whole number, got {shown}"
        ) == problem.message
        assert line_of(text, '"id": ' + json.dumps(value)) == problem.line

    def test_long_number(self):
        """A number of more digits than Python reads is a problem at its line."""
        text = '{"releases": [\n  {"note": "' + "1" * 5000 + '",\n   "id": '
        text += "7" * 5000 + "}\n]}"
        [problem] = import_ocds(text).problems
        assert (
            ImportProblem(
                message="not JSON that can be read: a number has more than 4,300 "
                "digits",
                line=3,
                column=10,
            )
            == problem
        )


@pytest.mark.usefixtures("folder")
def test_imports_with_a_problem():
    """Under `imports:`, a value at fault is left out and the rest is merged."""
    path = Path("fictional-1.1-releases.json")
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            '"dateSigned": "2010-06-10T14:23:12Z"', '"dateSigned": "10/06/2010"'
        ),
        encoding="utf-8",
    )
    Path("barnet.yaml").write_text(ENGAGEMENT, encoding="utf-8")
    with pytest.raises(
        ok.LoadError, match="dateSigned: expected an ISO 8601"
    ) as caught:
        ok.load("barnet.yaml")
    [engagement] = caught.value.loaded
    assert "AnyCorp Cycle Provision" == engagement.vendor.name
    assert dt.date(2010, 7, 1) == engagement.start
    assert engagement.agreements[0].signed_on is None
