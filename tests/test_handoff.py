"""The messages between the server and a query worker (handoff.py): nothing a worker sends is unpickled."""

from __future__ import annotations

import json
import pickle

import pytest

from culturegraph.handoff import (
    Job,
    Outcome,
    decode_job,
    decode_reply,
    decode_status,
    encode_job,
    error_reply,
    ok_reply,
    status_message,
)

RAN: list[str] = []


class _Payload:
    """What a subverted worker could send if the server unpickled its replies: code run on loading."""

    def __reduce__(self):
        return (RAN.append, ("ran in the server",))


def test_replies_round_trip() -> None:
    out = Outcome("select", "csv", b"a\r\n1\r\n", 1, "rows", 0.25)
    assert decode_reply(ok_reply(out)) == out
    assert decode_reply(error_reply("error", "QueryError", "bad", 3, 7)) == ("error", "QueryError", "bad", 3, 7)
    assert decode_reply(error_reply("syntax", "oops")) == ("syntax", "oops")
    assert decode_status(status_message("ready", {"network": None, "memory": "why"})) == (
        "ready", {"network": None, "memory": "why"})
    job = Job("ASK {}", max_rows=5, substitutions={"x": ("iri", "http://example.org/")})
    assert decode_job(encode_job(job)) == job  # jobs go from the server to the worker


def test_a_pickle_from_a_worker_is_never_loaded() -> None:
    for data in (b"E" + pickle.dumps(_Payload()), pickle.dumps(("ready", _Payload()))):
        with pytest.raises(ValueError):  # not JSON: refused, and nothing ran
            decode_reply(data) if data[:1] == b"E" else decode_status(data)
    assert RAN == []
    assert json.loads(error_reply("error", "X", "m", None, None)[1:]) == ["error", "X", "m", None, None]
