"""The sealed log for auditors: the checkpoint key, signed checkpoints, inclusion proofs for
an event and consistency proofs between two checkpoints (see docs/integrity.md).

Keys, checkpoints and consistency proofs carry only hashes and are meant to be copied anywhere
(that is how a log is anchored), so any caller may read them; an inclusion proof carries the
event itself, so it is read as history is."""

from __future__ import annotations

from typing import Annotated

from anyio import to_thread
from fastapi import APIRouter, Depends, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import PlainTextResponse, Response

from api.deps import Admin, HistoryReader, Reader
from api.models.integrity import (
    CheckpointPublic,
    CheckpointsPage,
    ConsistencyProof,
    InclusionProof,
    PublicKey,
)
from integrity.service import IntegrityService, b64
from integrity.tables import StoredCheckpoint

router = APIRouter(tags=["integrity"])
Size = Annotated[int, Query(ge=1, le=2**62, description="A signed checkpoint's tree size.")]
NOTE_MEDIA_TYPE = "text/plain; charset=utf-8"
CHECKPOINT_RESPONSES: dict[int | str, dict[str, object]] = {200: {"content": {
    "text/plain": {"schema": {"type": "string"}},
    "application/json": {"schema": CheckpointPublic.model_json_schema()}},
    "description": "The signed note (text/plain), or the same as JSON when asked for "
                   "with Accept: application/json."}}


async def get_integrity(request: Request) -> IntegrityService:
    return request.app.state.integrity


Integrity = Annotated[IntegrityService, Depends(get_integrity)]


def public(checkpoint: StoredCheckpoint) -> CheckpointPublic:
    return CheckpointPublic(tree_size=checkpoint.tree_size, root_hash=b64(checkpoint.root_hash),
                            note=checkpoint.note, created_at=checkpoint.created_at)


def _answer(request: Request, checkpoint: StoredCheckpoint) -> Response:
    if "application/json" in request.headers.get("accept", ""):
        return Response(public(checkpoint).model_dump_json(), media_type="application/json")
    return PlainTextResponse(checkpoint.note, media_type=NOTE_MEDIA_TYPE)


@router.get("/v1/audit/public-key")
def public_key(_: Reader, integrity: Integrity) -> PublicKey:
    """The key checkpoints are signed with: a C2SP verifier key and PEM."""
    return PublicKey(**integrity.public_key())


@router.get("/v1/audit/checkpoint", response_class=Response, responses=CHECKPOINT_RESPONSES)
def checkpoint(request: Request, _: Reader, integrity: Integrity) -> Response:
    """The latest signed checkpoint (404 before anything is sealed and signed)."""
    return _answer(request, integrity.latest_checkpoint())


@router.post("/v1/audit/checkpoints", response_class=Response, responses=CHECKPOINT_RESPONSES)
async def checkpoint_now(request: Request, _: Admin, integrity: Integrity) -> Response:
    """Seal every stored event and sign a checkpoint now (admins); the latest checkpoint."""
    return _answer(request, await to_thread.run_sync(integrity.checkpoint_now))


@router.get("/v1/audit/checkpoints")
def checkpoints(_: Reader, integrity: Integrity,
                after: Annotated[int, Query(ge=0, le=2**62, description=(
                    "Only checkpoints of larger trees: the previous page's `next_after`."))] = 0,
                limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> CheckpointsPage:
    """Every signed checkpoint with a tree size above `after`, smallest first."""
    found = integrity.checkpoints(after, limit + 1)
    return CheckpointsPage(checkpoints=[public(one) for one in found[:limit]],
                           next_after=found[limit - 1].tree_size if len(found) > limit else None)


@router.get("/v1/events/{position}/proof")
def inclusion_proof(_: HistoryReader, integrity: Integrity,
                    position: Annotated[int, PathParam(ge=1, le=2**62)],
                    tree_size: Annotated[int | None, Query(ge=1, le=2**62, description=(
                        "A signed checkpoint's tree size; default: the latest."))] = None
                    ) -> InclusionProof:
    """The event at `position`, its leaf hash and its inclusion proof against a checkpoint."""
    return InclusionProof(**integrity.inclusion_proof(position, tree_size))


@router.get("/v1/audit/consistency")
def consistency_proof(_: Reader, integrity: Integrity, from_size: Size,
                      to_size: Size) -> ConsistencyProof:
    """The proof that checkpoint `to_size` extends checkpoint `from_size` (RFC 9162)."""
    return ConsistencyProof(**integrity.consistency_proof(from_size, to_size))
