"""Reads with `min_position` wait for the views without holding a thread, for a bounded time
and in bounded numbers; a position the log has not reached is refused at once."""

from __future__ import annotations

import threading
import time

from tests.api.conftest import serving
from tests.api.http import active, ok, open_cycle


def test_a_position_beyond_the_end_of_the_log_is_422_at_once(api):
    started = time.monotonic()
    response = api.owner.get(f"/v1/objectives?min_position={2**62}")
    assert time.monotonic() - started < 2
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "min_position"


def test_waiting_readers_hold_no_thread_so_commands_go_on(api_settings):
    """45 readers waiting on views that do not move (no follower runs) once stalled the
    server's worker threads; a command made meanwhile must answer before any of them."""
    settings = api_settings.model_copy(update={"background": False, "wait_timeout": 3.0})
    with serving(settings) as api:
        objective = active(api, open_cycle(api))
        finished: list[str] = []
        lock = threading.Lock()

        def wait_for_views() -> None:
            response = api.owner.get(f"/v1/objectives?min_position={objective['position']}")
            with lock:
                finished.append(f"read {response.status_code}")

        readers = [threading.Thread(target=wait_for_views) for _ in range(45)]
        for reader in readers:
            reader.start()
        time.sleep(0.3)  # the readers are now waiting: the point of the test
        kr = objective["key_results"][0]["id"]
        ok(api.owner.post(f"/v1/objectives/{objective['id']}/check-ins",
                          {"key_result_id": kr, "value": 1, "confidence": 0.5}))
        with lock:
            finished.append("command")
        for reader in readers:
            reader.join()
        assert finished[0] == "command", finished[:3]
        assert set(finished[1:]) == {"read 503"}


def test_too_many_waiting_readers_are_turned_away_at_once(api_settings):
    settings = api_settings.model_copy(update={"background": False, "wait_timeout": 3.0,
                                               "max_waiting_reads": 2})
    with serving(settings) as api:
        objective = active(api, open_cycle(api))
        answers: list[tuple[float, int, str]] = []
        started = time.monotonic()

        def read() -> None:
            response = api.owner.get(f"/v1/objectives?min_position={objective['position']}")
            answers.append((time.monotonic() - started, response.status_code,
                            response.json()["title"]))

        readers = [threading.Thread(target=read) for _ in range(3)]
        for reader in readers:
            reader.start()
        for reader in readers:
            reader.join()
        answers.sort()
        assert answers[0][1:] == (503, "Too many waiting reads"), answers
        assert answers[0][0] < answers[1][0]
        assert [status for _, status, _ in answers[1:]] == [503, 503]
