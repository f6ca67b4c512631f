"""What auditors read about the sealed log: the key, checkpoints and proofs. Hashes are
standard base64, as in the checkpoints themselves."""

from __future__ import annotations

from pydantic import BaseModel, Field


class PublicKey(BaseModel):
    algorithm: str = Field(examples=["Ed25519"])
    key_name: str = Field(description="The name in each signature line: the log's origin.")
    vkey: str = Field(description="C2SP verifier key: name+key hash (hex)+base64(0x01 ‖ key).")
    public_key_pem: str


class CheckpointPublic(BaseModel):
    tree_size: int
    root_hash: str
    note: str = Field(description="The C2SP signed note: checkpoint body, empty line, "
                                  "signature line.")
    created_at: str


class CheckpointsPage(BaseModel):
    checkpoints: list[CheckpointPublic]
    next_after: int | None = Field(description="Pass as `after` for the next page; null on "
                                               "the last.")


class SealedEvent(BaseModel):
    """The stored event's fields its leaf is computed from (docs/integrity.md)."""

    position: int
    originator_id: str
    originator_version: int
    topic: str
    state: str = Field(description="The stored state bytes, base64.")


class InclusionProof(BaseModel):
    position: int
    leaf_index: int
    tree_size: int
    leaf_hash: str
    root_hash: str
    inclusion_proof: list[str] = Field(description="RFC 9162 audit path, leaf's sibling first.")
    checkpoint: str = Field(description="The signed checkpoint of `tree_size`.")
    event: SealedEvent | None = Field(description="Null when the stored event is missing.")


class ConsistencyProof(BaseModel):
    from_size: int
    to_size: int
    from_root: str
    to_root: str
    consistency_proof: list[str]
    from_checkpoint: str
    to_checkpoint: str
