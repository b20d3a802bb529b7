"""The balancer mode of bench.serving without timing anything: its command line, the ports it checks
before starting and after stopping, HAProxy's log read back, and the tables it prints."""

from __future__ import annotations

import socket

from bench.balanced_serving import MachineLoad, Phase, Ports, listening, ratio_table, served_by
from bench.serving import Result, build_parser

QUIET = MachineLoad(cores=2, one=1.5, five=2.0, fifteen=2.5)


def _phase(replicas: int, per_second: float, p95: float) -> Phase:
    results = [Result(c, p95 / 2, p95 * c, per_second * c, 0) for c in (1, 10, 50)]
    return Phase(replicas, results, QUIET, QUIET, {f"rasa{i}": 10 for i in range(1, replicas + 1)})


def test_the_balancer_mode_takes_its_ports_and_database_from_the_command_line() -> None:
    args = build_parser().parse_args(
        ["--through-balancer", "--public-port", "9180", "--database-url", "postgresql://db/x"]
    )
    assert args.through_balancer
    assert (args.public_port, args.rasa_port, args.actions_port) == (9180, 9005, 9055)
    assert args.database_url == "postgresql://db/x"
    assert not build_parser().parse_args([]).through_balancer


def test_every_replica_port_is_checked() -> None:
    assert Ports().used(2) == [9080, 9005, 9055, 9180, 9105, 9155, 9280, 9205, 9255]


def test_a_port_something_listens_on_is_reported_taken() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        assert listening([port]) == [port]
    assert listening([port]) == []


def test_requests_per_replica_are_counted_from_the_access_log() -> None:
    log = (
        "127.0.0.1 rasa_public/rasa1 200 20/21 POST /webhooks/rest/webhook\n"
        "127.0.0.1 rasa_public/rasa2 200 25/25 POST /webhooks/rest/webhook\n"
        "127.0.0.1 web/web1 200 1/1 GET /health/ready\n"
        "127.0.0.1 rasa_public/rasa1 200 18/18 POST /webhooks/rest/webhook\n"
    )
    assert served_by(log) == {"rasa1": 2, "rasa2": 1}


def test_the_ratios_compare_two_replicas_with_one_at_each_level() -> None:
    table = ratio_table(_phase(1, 40.0, 100.0), _phase(2, 60.0, 80.0)).splitlines()
    assert table[0] == "2 vs 1 replica(s)"
    assert [line.split() for line in table[2:]] == [
        ["1", "0.80", "0.80", "1.50"],
        ["10", "0.80", "0.80", "1.50"],
        ["50", "0.80", "0.80", "1.50"],
    ]
