"""Who may do what: one table of roles, and the ministry a key belongs to."""

from __future__ import annotations

from bot.auth.roles import Actor, Forbidden, Permission, Role


def test_authors_write_approvers_also_approve_analysts_only_read() -> None:
    author, approver = Actor("a", "health", Role.AUTHOR), Actor("b", "health", Role.APPROVER)
    analyst, admin = Actor("c", "health", Role.ANALYST), Actor("d", "health", Role.ADMIN)
    assert author.may(Permission.WRITE) and not author.may(Permission.APPROVE)
    assert approver.may(Permission.APPROVE) and approver.may(Permission.WRITE)
    assert (
        analyst.may(Permission.READ)
        and not analyst.may(Permission.WRITE)
        and not analyst.may(Permission.CANCEL)
    )
    # Everything but reading other ministries, and the inbox: only agent keys open it (issue 15).
    others = (Permission.READ_ALL_MINISTRIES, Permission.ANSWER_CITIZENS)
    assert all(admin.may(p) for p in Permission if p not in others)


def test_reporters_file_concerns_and_read_nothing() -> None:
    reporter = Actor("r", "health", Role.REPORTER)
    assert reporter.may(Permission.FILE_CONCERNS)
    assert not any(reporter.may(p) for p in Permission if p is not Permission.FILE_CONCERNS)


def test_a_key_sees_its_own_ministry_and_only_analysts_see_all() -> None:
    assert Actor("a", "health", Role.ADMIN).may_see("health")
    assert not Actor("a", "health", Role.ADMIN).may_see("meteo")
    assert Actor("c", "health", Role.ANALYST).may_see("meteo")
    assert issubclass(Forbidden, PermissionError)


def test_agents_answer_citizens_and_do_nothing_else() -> None:
    agent = Actor("k", "health", Role.AGENT, desks=frozenset({"health_line"}))
    assert [p for p in Permission if agent.may(p)] == [Permission.ANSWER_CITIZENS]
    assert not any(
        Actor("k", "health", role).may(Permission.ANSWER_CITIZENS) for role in Role if role is not Role.AGENT
    )
