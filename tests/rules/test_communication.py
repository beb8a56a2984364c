"""Tests for the communication rules (OSK401-OSK407)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from outsourcekit.builtin.rules.communication import (
    email_only,
    no_communication_plan,
    no_escalation_path,
    no_milestones,
    no_pm_tool,
    no_response_time,
    silent_milestone,
)
from outsourcekit.model import (
    Channel,
    ChannelKind,
    CommunicationPlan,
    Duration,
    Engagement,
    Milestone,
    ProgressUpdate,
    Status,
    evolve,
)
from outsourcekit.testing import run_rule

AS_OF = dt.date(2026, 11, 22)

SLACK = Channel(name="Slack", kind=ChannelKind.CHAT, secure=True)
ZOOM = Channel(name="Zoom", kind=ChannelKind.VIDEO)
ASANA = Channel(name="Asana", kind=ChannelKind.PM_TOOL)
MAIL = Channel(name="Mail", kind=ChannelKind.EMAIL)


def plan(*channels: Channel, **kwargs: object) -> CommunicationPlan:
    return CommunicationPlan(channels=channels, **kwargs)


def engagement(**kwargs: object) -> Engagement:
    base: dict[str, object] = {
        "id": "acme-bookkeeping",
        "status": Status.ACTIVE,
        "start": dt.date(2026, 1, 5),
    }
    base.update(kwargs)
    return Engagement(**base)


def _as_of(block: str) -> dt.date:
    m = re.match(r"# as_of: (\d{4}-\d{2}-\d{2})", block)
    return dt.date.fromisoformat(m.group(1)) if m else AS_OF


class TestOSK401:
    def test_no_communication(self):
        """An engagement without a communication plan fires."""
        (f,) = run_rule(no_communication_plan, engagement(), as_of=AS_OF)

        assert ("OSK401", "communication.channels") == (f.rule, f.path)
        assert "No communication channels are listed" == f.message
        assert {"channels": 0} == f.evidence

    def test_empty_channels(self):
        """A plan with an empty channel list fires like an absent one."""
        eng = engagement(communication=plan(response_time=Duration.parse("24h")))

        assert 1 == len(run_rule(no_communication_plan, eng, as_of=AS_OF))

    def test_one_channel_passes(self):
        """One channel of any kind is a plan."""
        eng = engagement(communication=plan(Channel(name="Phone")))

        assert [] == run_rule(no_communication_plan, eng, as_of=AS_OF)


class TestOSK402:
    def test_channels_without_response_time(self):
        """Channels without a response time fire, naming the channels."""
        eng = engagement(communication=plan(SLACK, ZOOM))

        (f,) = run_rule(no_response_time, eng, as_of=AS_OF)

        assert ("OSK402", "communication.response_time") == (f.rule, f.path)
        assert "2 channels (Slack, Zoom) are listed but no response time is agreed" == (
            f.message
        )
        assert {"channels": ("Slack", "Zoom")} == f.evidence

    def test_single_and_unnamed_channel(self):
        """A single unnamed channel is named by its index in the singular."""
        eng = engagement(communication=plan(Channel(kind=ChannelKind.CHAT)))

        (f,) = run_rule(no_response_time, eng, as_of=AS_OF)

        assert "1 channel (#0) is listed but no response time is agreed" == f.message

    def test_response_time_passes(self):
        """A response time next to the channels passes."""
        eng = engagement(communication=plan(SLACK, response_time=Duration.parse("24h")))

        assert [] == run_rule(no_response_time, eng, as_of=AS_OF)

    def test_no_channels_is_osk401s(self):
        """Without channels the rule is silent: OSK401 reports the missing plan."""
        assert [] == run_rule(no_response_time, engagement(), as_of=AS_OF)
        assert [] == run_rule(
            no_response_time, engagement(communication=plan()), as_of=AS_OF
        )


class TestOSK403:
    def test_email_only(self):
        """Only email channels fire."""
        eng = engagement(
            communication=plan(MAIL, Channel(name="Support", kind=ChannelKind.EMAIL))
        )

        (f,) = run_rule(email_only, eng, as_of=AS_OF)

        assert ("OSK403", "communication.channels") == (f.rule, f.path)
        assert "Every channel is email (Mail, Support)" == f.message
        assert {"channels": ("Mail", "Support")} == f.evidence

    def test_email_and_chat_passes(self):
        """One more immediate channel next to email passes."""
        eng = engagement(communication=plan(MAIL, SLACK))

        assert [] == run_rule(email_only, eng, as_of=AS_OF)

    def test_unknown_kind_is_not_email(self):
        """A channel of unknown kind is not counted as email."""
        eng = engagement(communication=plan(MAIL, Channel(name="Other")))

        assert [] == run_rule(email_only, eng, as_of=AS_OF)

    def test_no_channels(self):
        """Without channels there is nothing to call email-only."""
        assert [] == run_rule(email_only, engagement(), as_of=AS_OF)


class TestOSK404:
    def test_no_pm_tool(self):
        """Channels without a project tool fire, naming them."""
        eng = engagement(communication=plan(SLACK, ZOOM))

        (f,) = run_rule(no_pm_tool, eng, as_of=AS_OF)

        assert ("OSK404", "communication.channels") == (f.rule, f.path)
        assert (
            "None of the 2 channels (Slack, Zoom) is a project-management tool"
            == f.message
        )
        assert {"channels": ("Slack", "Zoom")} == f.evidence

    def test_single_channel(self):
        """A single channel that is no project tool is named alone."""
        eng = engagement(communication=plan(SLACK))

        (f,) = run_rule(no_pm_tool, eng, as_of=AS_OF)

        assert "The only channel (Slack) is not a project-management tool" == f.message

    def test_no_channels_at_all(self):
        """An absent channel list also lacks a project tool."""
        (f,) = run_rule(no_pm_tool, engagement(), as_of=AS_OF)

        assert "No project-management tool is listed as a channel" == f.message
        assert {"channels": ()} == f.evidence

    def test_pm_tool_passes(self):
        """A channel of kind pm-tool passes."""
        eng = engagement(communication=plan(SLACK, ASANA))

        assert [] == run_rule(no_pm_tool, eng, as_of=AS_OF)


def milestone(*updates: dt.date, **kwargs: object) -> Milestone:
    base: dict[str, object] = {"name": "Year-end close", "due": dt.date(2026, 11, 1)}
    base.update(kwargs)
    return Milestone(updates=[ProgressUpdate(at=u) for u in updates], **base)


class TestOSK405:
    def test_silent_overdue_milestone(self):
        """An overdue milestone last updated 38 days ago fires at its due date."""
        eng = engagement(milestones=[milestone(dt.date(2026, 10, 15))])

        (f,) = run_rule(silent_milestone, eng, as_of=AS_OF)

        assert ("OSK405", "milestones[Year-end close].due") == (f.rule, f.path)
        assert (
            "Milestone Year-end close was due on 2026-11-01 (21 days ago), is not "
            "done and was last updated 38 days ago on 2026-10-15, more than the 14 "
            "days allowed" == f.message
        )
        assert {
            "milestone": "Year-end close",
            "due": dt.date(2026, 11, 1),
            "days_overdue": 21,
            "last_update": dt.date(2026, 10, 15),
            "days_silent": 38,
            "max_days_silent": 14,
        } == f.evidence

    def test_no_update_at_all(self):
        """An overdue milestone that never had an update fires."""
        eng = engagement(milestones=[milestone(due=dt.date(2026, 11, 21))])

        (f,) = run_rule(silent_milestone, eng, as_of=AS_OF)

        assert (
            "Milestone Year-end close was due on 2026-11-21 (1 day ago), is not done "
            "and has no progress update" == f.message
        )
        assert None is f.evidence["last_update"]

    def test_recent_update_passes(self):
        """A fresh update silences the overdue milestone."""
        eng = engagement(
            milestones=[milestone(dt.date(2026, 10, 15), dt.date(2026, 11, 20))]
        )

        assert [] == run_rule(silent_milestone, eng, as_of=AS_OF)

    def test_boundary(self):
        """An update exactly 14 days ago is within the limit; 15 days is not."""
        at_limit = engagement(milestones=[milestone(dt.date(2026, 11, 8))])
        beyond = engagement(milestones=[milestone(dt.date(2026, 11, 7))])

        assert [] == run_rule(silent_milestone, at_limit, as_of=AS_OF)
        assert [15] == [
            f.evidence["days_silent"]
            for f in run_rule(silent_milestone, beyond, as_of=AS_OF)
        ]

    def test_due_today_is_not_passed(self):
        """A milestone due on as_of has not passed its due date yet."""
        eng = engagement(milestones=[milestone(due=AS_OF)])

        assert [] == run_rule(silent_milestone, eng, as_of=AS_OF)

    def test_done_passes(self):
        """A milestone done on or before as_of is not silent."""
        eng = engagement(milestones=[milestone(done_on=dt.date(2026, 11, 3))])

        assert [] == run_rule(silent_milestone, eng, as_of=AS_OF)

    def test_path_of_a_name_that_reads_as_an_index(self):
        """A milestone named `2` is at its index, as the file's paths are written."""
        eng = engagement(
            milestones=[
                milestone(name="Kick-off", done_on=dt.date(2026, 10, 1)),
                milestone(name="2"),
            ]
        )

        (f,) = run_rule(silent_milestone, eng, as_of=AS_OF)

        assert ("milestones[1].due", "2") == (f.path, f.evidence["milestone"])
        assert f.message.startswith("Milestone 2 was due on 2026-11-01")

    def test_future_facts_are_ignored(self):
        """Completion and updates dated after as_of are not known yet."""
        eng = engagement(
            milestones=[milestone(dt.date(2026, 11, 25), done_on=dt.date(2026, 11, 30))]
        )

        (f,) = run_rule(silent_milestone, eng, as_of=AS_OF)

        assert None is f.evidence["last_update"]

    def test_datetime_update_uses_the_client_date(self):
        """A timed update counts by its calendar date in the client's time zone."""
        late = dt.datetime(2026, 11, 8, 23, 0, tzinfo=dt.timezone.utc)
        eng = engagement(
            milestones=[
                Milestone(
                    name="Close",
                    due=dt.date(2026, 11, 1),
                    updates=[ProgressUpdate(at=late)],
                )
            ]
        )

        assert [] == run_rule(silent_milestone, eng, as_of=AS_OF)

    def test_option(self):
        """max-days-silent changes the allowed silence."""
        eng = engagement(milestones=[milestone(dt.date(2026, 11, 1))])

        assert [] == run_rule(
            silent_milestone, eng, as_of=AS_OF, options={"max-days-silent": 21}
        )
        (f,) = run_rule(
            silent_milestone, eng, as_of=AS_OF, options={"max-days-silent": 20}
        )
        assert 20 == f.evidence["max_days_silent"]

    def test_not_active(self):
        """An ended or proposed engagement's milestones are not chased."""
        for status in (Status.ENDED, Status.PROPOSED, Status.PAUSED):
            eng = engagement(status=status, milestones=[milestone()])

            assert [] == run_rule(silent_milestone, eng, as_of=AS_OF)

    def test_duplicate_names_use_index(self):
        """Milestones sharing a name are addressed by index, one finding each."""
        eng = engagement(milestones=[milestone(), milestone()])

        assert ["milestones[0].due", "milestones[1].due"] == [
            f.path for f in run_rule(silent_milestone, eng, as_of=AS_OF)
        ]

    def test_milestone_without_due(self):
        """A milestone without a due date cannot be overdue."""
        eng = engagement(milestones=[Milestone(name="Someday")])

        assert [] == run_rule(silent_milestone, eng, as_of=AS_OF)

    @given(
        due=st.dates(dt.date(2026, 1, 1), dt.date(2027, 1, 1)),
        update=st.dates(dt.date(2025, 1, 1), dt.date(2027, 1, 1)),
        max_days=st.integers(0, 100),
    )
    def test_fires_iff_overdue_and_silent(self, due, update, max_days):
        """The rule fires exactly when the milestone is overdue and silent too long."""
        eng = engagement(milestones=[milestone(update, due=due)])
        known = update <= AS_OF
        silent = not known or (AS_OF - update).days > max_days

        fired = run_rule(
            silent_milestone, eng, as_of=AS_OF, options={"max-days-silent": max_days}
        )

        assert (due < AS_OF and silent) == bool(fired)


class TestOSK406:
    def test_no_escalation(self):
        """A plan without escalation fires."""
        (f,) = run_rule(
            no_escalation_path, engagement(communication=plan(SLACK)), as_of=AS_OF
        )

        assert ("OSK406", "communication.escalation") == (f.rule, f.path)
        assert "No escalation path is defined" == f.message
        assert {"escalation": None} == f.evidence

    def test_blank_escalation(self):
        """A blank escalation says nothing and fires."""
        eng = engagement(communication=plan(escalation="  "))

        assert 1 == len(run_rule(no_escalation_path, eng, as_of=AS_OF))

    def test_escalation_passes(self):
        """A named escalation path passes."""
        eng = engagement(communication=plan(escalation="Finance lead, then COO"))

        assert [] == run_rule(no_escalation_path, eng, as_of=AS_OF)

    @pytest.mark.parametrize("escalation", ["-", "TBD", "none", "?"])
    def test_placeholder_escalation(self, escalation):
        """A placeholder is no escalation path, and the message says so."""
        eng = engagement(communication=plan(escalation=escalation))

        (f,) = run_rule(no_escalation_path, eng, as_of=AS_OF)

        assert (
            "No escalation path is defined: the escalation is a placeholder "
            f"(`{escalation}`)" == f.message
        )
        assert {"escalation": escalation} == f.evidence

    def test_one_day_in_words(self):
        """A day of silence, and a limit of one, are each "1 day"."""
        eng = engagement(milestones=[milestone(dt.date(2026, 11, 20))])

        (f,) = run_rule(
            silent_milestone, eng, as_of=AS_OF, options={"max-days-silent": 1}
        )

        assert f.message.endswith(
            "was last updated 2 days ago on 2026-11-20, more than the 1 day allowed"
        )
        (f,) = run_rule(
            silent_milestone,
            engagement(milestones=[milestone(dt.date(2026, 11, 21))]),
            as_of=AS_OF,
            options={"max-days-silent": 0},
        )

        assert f.message.endswith(
            "was last updated 1 day ago on 2026-11-21, more than the 0 days allowed"
        )


class TestOSK407:
    def test_one_day_in_words(self):
        """An engagement one day old is "1 day" old."""
        eng = engagement(start=AS_OF - dt.timedelta(days=1))

        (f,) = run_rule(no_milestones, eng, as_of=AS_OF, options={"min-days": 0})

        assert (
            "The engagement has run since 2026-11-21 (1 day, more than 0) "
            "without milestones" == f.message
        )

    def test_long_without_milestones(self):
        """A year-long active engagement without milestones fires."""
        eng = engagement(end=dt.date(2026, 12, 31))

        (f,) = run_rule(no_milestones, eng, as_of=AS_OF)

        assert ("OSK407", "milestones") == (f.rule, f.path)
        assert (
            "The engagement runs from 2026-01-05 to 2026-12-31 (360 days, more than "
            "60) without milestones" == f.message
        )
        assert {
            "start": dt.date(2026, 1, 5),
            "end": dt.date(2026, 12, 31),
            "days": 360,
            "min_days": 60,
        } == f.evidence

    def test_open_ended_counts_to_as_of(self):
        """Without an end the length runs to as_of."""
        (f,) = run_rule(no_milestones, engagement(), as_of=AS_OF)

        assert (
            "The engagement has run since 2026-01-05 (321 days, more than 60) "
            "without milestones" == f.message
        )

    def test_milestones_pass(self):
        """One milestone passes."""
        eng = engagement(milestones=[Milestone(name="Q1", due=dt.date(2026, 4, 7))])

        assert [] == run_rule(no_milestones, eng, as_of=AS_OF)

    def test_boundary(self):
        """Exactly 60 days does not fire; 61 does."""
        start = dt.date(2026, 10, 1)
        at_limit = engagement(start=start, end=start + dt.timedelta(days=60))
        beyond = engagement(start=start, end=start + dt.timedelta(days=61))

        assert [] == run_rule(no_milestones, at_limit, as_of=AS_OF)
        assert 1 == len(run_rule(no_milestones, beyond, as_of=AS_OF))

    def test_unknown_start(self):
        """Without a start the length is unknown and the rule is silent."""
        eng = Engagement(id="x", status=Status.ACTIVE)

        assert [] == run_rule(no_milestones, eng, as_of=AS_OF)

    def test_not_active(self):
        """An engagement that is not active is not judged."""
        eng = engagement(status=Status.PROPOSED)

        assert [] == run_rule(no_milestones, eng, as_of=AS_OF)

    def test_option(self):
        """min-days changes the length that needs milestones."""
        eng = engagement()

        assert [] == run_rule(
            no_milestones, eng, as_of=AS_OF, options={"min-days": 321}
        )
        assert 1 == len(
            run_rule(no_milestones, eng, as_of=AS_OF, options={"min-days": 320})
        )

    def test_unknown_option_is_rejected(self):
        """An option the rule does not have is an error naming it."""
        with pytest.raises(ValueError, match="rule OSK407 has no option 'max-days'"):
            run_rule(no_milestones, engagement(), as_of=AS_OF, options={"max-days": 1})

    def test_evolve_keeps_verdict(self):
        """Adding milestones to a failing engagement fixes it."""
        eng = engagement()
        fixed = evolve(eng, milestones=(Milestone(name="Q1"),))

        assert (1, 0) == (
            len(run_rule(no_milestones, eng, as_of=AS_OF)),
            len(run_rule(no_milestones, fixed, as_of=AS_OF)),
        )
