"""The sealed log through the API, checked by the standalone verifier (tools/verify_okr_log.py)
as an auditor would: it shares no code with the server."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from api.cli import main
from devtools.network import wait_for
from integrity.notes import Checkpoint, sign_note, verifier_key
from tests.api.conftest import SECRET, serving
from tests.api.http import active, ok, open_cycle
from tests.stores import postgres_database
from workflows.settings import Settings

TOOL = Path(__file__).parents[2] / "tools" / "verify_okr_log.py"
_spec = importlib.util.spec_from_file_location("verify_okr_log", TOOL)
assert _spec is not None and _spec.loader is not None
verifier = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(verifier)


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres",
                                                               marks=pytest.mark.postgres)])
def sealed(request, tmp_path_factory):
    """A served ledger with a little history, a checkpoint at every size, all sealed."""
    data_dir = tmp_path_factory.mktemp("sealed")
    with postgres_database() if request.param == "postgres" else _no_database() as url:
        settings = Settings(data_dir=data_dir, database_url=url, secret=SECRET,
                            checkpoint_every=1)
        with serving(settings) as api:
            cycle_id = open_cycle(api)
            objective = active(api, cycle_id)
            for value in (10, 20, 30):
                kr = objective["key_results"][0]["id"]
                ok(api.owner.post(f"/v1/objectives/{objective['id']}/check-ins",
                                  {"key_result_id": kr, "value": value, "confidence": 0.5}))
            head = ok(api.admin.post("/v1/audit/checkpoints",
                                     headers={"Accept": "application/json"}))["tree_size"]
            yield api, head, data_dir, url


class _no_database:
    def __enter__(self) -> str:
        return ""

    def __exit__(self, *_: object) -> None:
        pass


def vkey(api) -> str:
    return ok(api.auditor.get("/v1/audit/public-key"))["vkey"]


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_inclusion_and_consistency_proofs_verify_with_the_standalone_tool(sealed, data):
    api, head, _, _ = sealed
    key = vkey(api)
    size = data.draw(st.integers(1, head))
    listed = ok(api.auditor.get("/v1/audit/checkpoints", params={"after": size - 1,
                                                                 "limit": 1}))
    assert listed["checkpoints"][0]["tree_size"] == size
    position = data.draw(st.integers(1, size))  # one writer, nothing rolled back: no gaps
    proof = ok(api.auditor.get(f"/v1/events/{position}/proof", params={"tree_size": size}))
    assert verifier.verify_inclusion_answer(proof, key)
    old = data.draw(st.integers(1, size))
    consistency = ok(api.auditor.get("/v1/audit/consistency",
                                     params={"from_size": old, "to_size": size}))
    assert verifier.verify_consistency_answer(consistency, key)


def run_tool(*args: str, given: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(TOOL), *args], input=given, text=True,
                          capture_output=True, timeout=60)


def test_the_tool_run_alone_verifies_a_checkpoint_and_proofs_and_refuses_another_key(sealed):
    api, head, _, _ = sealed
    key = vkey(api)
    note = api.auditor.get("/v1/audit/checkpoint").text
    checked = run_tool("checkpoint", "--key", key, "-", given=note)
    assert checked.returncode == 0 and f"{head} leaves" in checked.stdout
    proof = api.auditor.get("/v1/events/2/proof").text
    assert run_tool("inclusion", "--key", key, "-", given=proof).returncode == 0
    consistency = api.auditor.get(f"/v1/audit/consistency?from_size=3&to_size={head}").text
    assert run_tool("consistency", "--key", key, "-", given=consistency).returncode == 0

    forger = Ed25519PrivateKey.generate()
    origin = key.split("+")[0]
    forged = sign_note(Checkpoint(origin, head, b"\x00" * 32).body(), origin, forger)
    refused = run_tool("checkpoint", "--key", key, "-", given=forged)
    assert refused.returncode == 1 and "no signature by the key" in refused.stderr
    other_key = verifier_key(origin, forger.public_key())
    assert run_tool("checkpoint", "--key", other_key, "-", given=note).returncode == 1


def test_a_changed_event_no_longer_matches_its_sealed_leaf(sealed):
    api, _, _, _ = sealed
    proof = ok(api.auditor.get("/v1/events/3/proof"))
    proof["event"]["state"] = proof["event"]["state"][:-4] + "AAAA"
    with pytest.raises(verifier.NotVerified, match="changed after it was sealed"):
        verifier.verify_inclusion_answer(proof, vkey(api))


def test_the_server_seals_and_signs_new_events_in_the_background(sealed):
    api, head, _, _ = sealed
    cycle = ok(api.admin.post("/v1/cycles", {"name": "2027-Q2", "starts_on": "2027-04-01",
                                             "ends_on": "2027-06-30"}), 201)
    wait_for(lambda: api.auditor.get("/v1/audit/checkpoint").text.split("\n")[1]
             == str(cycle["position"]), 10, "a checkpoint of the new event")
    proof = ok(api.auditor.get(f"/v1/events/{cycle['position']}/proof"))
    assert verifier.verify_inclusion_answer(proof, vkey(api))
    sealer = [part for part in ok(api.client.get("/readyz"))["parts"]
              if part["kind"] == "sealer"]
    assert sealer[0]["ok"] and sealer[0]["lag"] == 0


def test_sizes_and_positions_not_sealed_or_signed_are_refused_clearly(sealed):
    api, head, _, _ = sealed
    answer = api.auditor.get("/v1/events/1/proof", params={"tree_size": 10**6})
    assert answer.status_code == 422 and "signed checkpoint" in answer.json()["detail"]
    assert api.auditor.get("/v1/events/99999/proof").status_code == 404
    late = api.auditor.get(f"/v1/events/{head}/proof", params={"tree_size": 1})
    assert late.status_code == 422 and "does not hold it" in late.json()["detail"]
    backwards = api.auditor.get("/v1/audit/consistency", params={"from_size": 3, "to_size": 2})
    assert backwards.status_code == 422
    assert api.auditor.get("/v1/audit/consistency?from_size=0&to_size=2").status_code == 422
    assert api.owner.post("/v1/audit/checkpoints").status_code == 403
    assert api.integrator.get("/v1/events/1/proof").status_code == 403


def test_the_command_line_prints_the_servers_key_and_latest_checkpoint(sealed, capsys):
    api, _, data_dir, url = sealed
    store = ["--database-url", url] if url else ["--data-dir", str(data_dir)]
    env_key = ["--data-dir", str(data_dir)]
    assert main(["audit", "public-key", *env_key, *store]) == 0
    assert capsys.readouterr().out.strip() == vkey(api)
    assert main(["audit", "checkpoint", *env_key, *store]) == 0
    assert capsys.readouterr().out == api.auditor.get("/v1/audit/checkpoint").text
