"""Manage ministry API keys.

Usage::

    python -m bot.auth create --ministry health --role author --name "Dr A. Mwangi" --person MOH-0042
    python -m bot.auth create --ministry health --role agent --name "H. Otieno" --person MOH-0107 \
        --desk health_line
    python -m bot.auth list
    python -m bot.auth revoke <key id>

``--person`` is who holds the key (a staff number or another id that is the same for all of a person's
keys): an alert needing a second approval must be approved by another person, not just another key.
``create`` prints the key once; store it in the ministry's secret manager. Roles: author, approver,
admin, analyst, reporter (an Open311 client that files concerns), agent (answers citizens handed over
to a person, in the inbox of the desks named with ``--desk``, which must be the ministry's desks in
config/catalogue/desks.yml; see bot/auth/roles.py).
Keys are kept in Baraza's database: DATABASE_URL, or by default the SQLite file ``./baraza run`` uses.
"""

from __future__ import annotations

import argparse
import sys

from bot.alerts.model import utc_now
from bot.auth.roles import Role
from bot.services import shared


def main(argv: list[str]) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m bot.auth", description="Manage ministry API keys.")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create", help="issue a new key (printed once)")
    create.add_argument("--ministry", required=True)
    create.add_argument("--role", required=True, choices=[r.value for r in Role])
    create.add_argument("--name", required=True, help="who holds the key (shown in audit trails)")
    create.add_argument(
        "--person", required=True, help="the holder's id, the same for all their keys (two-person rule)"
    )
    create.add_argument(
        "--desk",
        action="append",
        default=[],
        help="agent keys: a handoff desk the holder answers for (repeat for several)",
    )
    commands.add_parser("list", help="list keys (never the secrets)")
    revoke = commands.add_parser("revoke", help="revoke a key by its id")
    revoke.add_argument("key_id")
    args = parser.parse_args(argv)

    services = shared()
    store = services.api_keys
    if args.command == "create":
        ministries = services.catalogues().ministries
        if args.ministry not in ministries:
            parser.error(f"unknown ministry {args.ministry!r}; known: {', '.join(ministries.ministries)}")
        role = Role(args.role)
        if role is Role.AGENT and not args.desk:
            parser.error("an agent key needs at least one --desk")
        if role is not Role.AGENT and args.desk:
            parser.error("only an agent key names desks")
        desks = services.desks().desks
        for desk in args.desk:
            if desk not in desks or desks[desk].ministry != args.ministry:
                own = sorted(d for d, entry in desks.items() if entry.ministry == args.ministry)
                parser.error(
                    f"{desk!r} is not a desk of {args.ministry}; its desks: {', '.join(own) or 'none'}"
                )
        key, info = store.create(
            args.ministry, role, args.name, utc_now(), person=args.person, desks=tuple(args.desk)
        )
        desk_note = f", desks {' '.join(info.desks)}" if info.desks else ""
        holder = f"{info.name}, {info.person}{desk_note}"
        print(f"key id {info.key_id} ({info.role.value}, {info.ministry}, {holder}):")
        print(key)
        return 0
    if args.command == "list":
        for info in store.list():
            print(
                f"{info.key_id}  {info.ministry:<18} {info.role.value:<9} {info.person or '-':<12}"
                f" {info.name}"
                f"{'  desks ' + ' '.join(info.desks) if info.desks else ''}"
                f"  (created {info.created_at})"
            )
        return 0
    if not store.revoke(args.key_id):
        print(f"no key with id {args.key_id}", file=sys.stderr)
        return 1
    print(f"revoked {args.key_id}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
