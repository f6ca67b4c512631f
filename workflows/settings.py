"""Every option of OKR Ledger in one object, read once from `OKR_*` environment variables.

The composition roots (the `okr` command line, `create_app`) build one `Settings` and hand it
down; nothing else reads the environment for configuration. The README's table of options is
drawn from the fields below (`python -m workflows.settings_table`), and a test keeps the two in
step. The eventsourcing library reads only the environment `persistence_env` gives it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

import pydantic
from pydantic import Field, ValidationInfo, field_validator
from pydantic_core import ErrorDetails
from pydantic_settings import BaseSettings, SettingsConfigDict

from domain.errors import ValidationError
from domain.rules import MethodologyRules
from workflows.operations_options import (
    LogFormat,
    LogLevel,
    MetricsAccess,
    check_oidc,
    check_origins,
    role_map,
)
from workflows.reasons import parse_policy
from workflows.store_files import (
    SQLITE_FILE,
    private_directory,
    require_postgres_store,
    require_sqlite_store,
)

ENV_PREFIX = "OKR_"
DEFAULT_DATA_DIR = Path("var")
BOOTSTRAP_RULE = "must be host:port[,host:port], e.g. localhost:9092"
BOOTSTRAP_ENTRY = re.compile(r"[^\s:,]+:\d{1,5}")
POSTGRES_RULE = "must look like postgresql://user:password@host:5432/dbname"
MAX_RELAY_SHARDS = 16


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, frozen=True, extra="forbid")

    data_dir: Path = Field(default=DEFAULT_DATA_DIR, description=(
        "SQLite store: the directory of the events (`okr.sqlite3`), the views beside them "
        "and the token key file"))
    database_url: str = Field(default="", description=(
        "`postgresql://user:password@host:5432/dbname[?schema=NAME]`: keep events and views "
        "in PostgreSQL instead"))
    database_pool_size: int = Field(default=5, ge=1, le=100, description=(
        "PostgreSQL connections each process keeps open for commands (views and helpers add "
        "about 15 more); processes × (this + 15) must fit the server's `max_connections`"))
    umask: str = Field(default="077", pattern=r"^0?[0-7]{3}$", description=(
        "the file mode creation mask for the data directory and every file made in it "
        "(077: readable by their owner only)"))
    secret: str = Field(default="", repr=False, description=(
        "signs bearer tokens (HS256); empty: a random key kept in the data directory "
        "(`token-secret.key`, readable by its owner only)"))
    token_ttl_seconds: int = Field(default=8 * 3600, gt=0, le=366 * 24 * 3600, description=(
        "how long a token from `okr token issue` (and the demo's admin token) stays valid"))
    host: str = Field(default="127.0.0.1", description="the address `okr serve` listens on")
    port: int = Field(default=8000, ge=1, le=65535, description="the port `okr serve` listens on")
    public_url: str = Field(default="", pattern=r"^(https?://[^\s/?#]+(/[^\s?#]*)?)?$",
                            description=(
        "the server's address as integrators reach it, e.g. https://okr.example.com; each "
        "CloudEvent's `dataschema` points under it; empty: http://HOST:PORT"))
    demo: bool = Field(default=False, description="`okr serve` loads a demo organisation into an "
                                          "empty ledger")
    workers: int = Field(default=1, ge=1, le=64, description=(
        "processes `okr serve` runs on its port (uvicorn's workers), all on the one store"))
    background: bool = Field(default=True, description=(
        "`okr serve` runs the background parts (the views' follower; the relay when "
        "`OKR_KAFKA_BOOTSTRAP` is set) in whichever process holds their lease; `false` leaves "
        "them to `okr worker`"))
    lease_retry_seconds: float = Field(default=1.0, gt=0, le=5, description=(
        "seconds a standing-by process waits between tries to take a lease (the background "
        "parts', each relay shard's): about how long a takeover takes after the holder dies"))
    max_body_bytes: int = Field(default=1_048_576, ge=1024, description=(
        "largest request body the API reads, in bytes; a larger one is refused (413) before "
        "any other work"))
    wait_timeout: float = Field(default=5.0, gt=0, le=60, description=(
        "seconds a read with `min_position` waits for the views before answering 503"))
    max_waiting_reads: int = Field(default=500, ge=1, description=(
        "most reads that may wait for the views (`min_position`) at once; one more is answered "
        "503 at once"))
    idempotency_reservation_seconds: float = Field(default=60.0, gt=0, le=86_400, description=(
        "seconds an Idempotency-Key stays reserved for a request that has not finished; a "
        "retry meanwhile is told to wait (409), one after it runs the request afresh"))
    idempotency_retention_seconds: float = Field(default=86_400.0, gt=0, description=(
        "seconds a completed Idempotency-Key is remembered (its retry replays the result) "
        "before it is forgotten and purged"))
    view_failure_retries: int = Field(default=5, ge=1, description=(
        "times the views try an event they cannot apply before they stop on it and record it "
        "as a dead letter (shown in `/readyz`)"))
    stream_poll_seconds: float = Field(default=0.5, gt=0, description=(
        "seconds between looks for new events in `GET /v1/events/stream`"))
    min_krs: int = Field(default=1, ge=0, description=(
        "fewest active key results an objective may be submitted with"))
    max_krs: int = Field(default=5, ge=1, description=(
        "most active key results an objective may be submitted with"))
    max_objectives_per_owner: int = Field(default=5, ge=1, description=(
        "most objectives one owner may have submitted (or further along) in a cycle"))
    reason_required: str = Field(default="", description=(
        "actions refused without a reason (or comment, or a check-in's note), comma-separated, "
        "e.g. `cancel,request_changes,approve_adjustment`; any action of the workflow, or "
        "`draft`"))
    require_known_people: bool = Field(default=True, description=(
        "owners and reviewers must be known, active people of the directory (`/v1/people`, "
        "`okr people import`)"))
    kafka_bootstrap: str = Field(default="", description=(
        "`host:port[,host:port]` of the Kafka brokers; `okr relay` and `okr events consume` "
        "need it"))
    kafka_topic: str = Field(default="okr.events", min_length=1, description=(
        "the topic `okr relay` publishes to and `okr events consume` reads"))
    kafka_checkpoint_topic: str = Field(default="okr.checkpoints", description=(
        "the topic the relay publishes each signed checkpoint to, once (one publisher per "
        "store, whatever the shards); empty: checkpoints are not published"))
    relay_batch_size: int = Field(default=2000, ge=1, description=(
        "most log positions `okr relay` publishes in one batch"))
    relay_poll_interval: float = Field(default=0.05, gt=0, description=(
        "seconds `okr relay` waits between looks at the log when idle"))
    relay_shards: int = Field(default=1, ge=1, le=MAX_RELAY_SHARDS, description=(
        "shards the relay splits the topic's partitions into (partition mod shards), each "
        "published by one process at a time under its own lease, from its own position"))
    kafka_delivery_timeout_ms: int = Field(default=30_000, ge=1000, description=(
        "milliseconds the brokers may take to acknowledge a batch before the relay retries"))
    consumer_group: str = Field(default="", description=(
        "the consumer group of `okr events consume`, which needs one"))
    consumer_max_poll_interval_ms: int = Field(default=300_000, ge=1000, description=(
        "most milliseconds between two polls before `okr events consume` leaves its group"))
    oidc_issuer: str = Field(default="", description=(
        "the `iss` of the identity provider's OpenID Connect access tokens, accepted beside "
        "the server's own; empty: none accepted"))
    oidc_audience: str = Field(default="", description=(
        "the `aud` those tokens must name (this API); needed with `OKR_OIDC_ISSUER`"))
    oidc_jwks_url: str = Field(default="", validate_default=True, description=(
        "where the identity provider publishes its signing keys (JWKS); needed with "
        "`OKR_OIDC_ISSUER`"))
    oidc_subject_claim: str = Field(default="sub", min_length=1, description=(
        "the claim naming the person (owners and reviewers are named so); `a.b` reads a "
        "nested claim"))
    oidc_role_claim: str = Field(default="roles", min_length=1, description=(
        "the claim holding the person's role or groups (a string or a list); `a.b` reads a "
        "nested claim, e.g. `realm_access.roles`"))
    oidc_role_map: str = Field(default="", description=(
        "`value=role,...`: which claim values mean admin, member, auditor or integrator; "
        "empty: the values `admin`, `member`, `auditor`, `integrator` themselves"))
    oidc_jwks_cache_seconds: float = Field(default=300, gt=0, description=(
        "seconds the identity provider's keys are kept before they are fetched again"))
    oidc_jwks_cooldown_seconds: float = Field(default=30, ge=0, description=(
        "least seconds between fetches of the keys for a token naming a key id not held (a "
        "rotated key), so forged key ids cannot flood the identity provider"))
    oidc_leeway_seconds: int = Field(default=30, ge=0, le=300, description=(
        "seconds of clock difference allowed when checking a token's `exp`, `nbf` and `iat`"))
    log_format: LogFormat = Field(default=LogFormat.AUTO, description=(
        "how `okr serve`, `okr relay` and `okr projections follow` log: `json` (one object per "
        "line), `text`, or `auto` (text on a terminal, else JSON)"))
    log_level: LogLevel = Field(default=LogLevel.INFO, description=(
        "the least severe level logged: debug, info, warning or error"))
    metrics_access: MetricsAccess = Field(default=MetricsAccess.ADMIN, description=(
        "who may read `GET /metrics` on the API's port: `admin` (an admin's bearer token) or "
        "`open` (anyone who reaches the port)"))
    metrics_port: int = Field(default=0, ge=0, le=65535, description=(
        "a second port, on `OKR_HOST`, where `okr serve`, `okr worker` and `okr relay` serve "
        "their metrics with no token (keep it private, for Prometheus); 0: none"))
    ready_max_view_lag: int = Field(default=1000, ge=0, description=(
        "most events a view may be behind the log before `/readyz` answers 503"))
    ready_timeout_seconds: float = Field(default=2.0, gt=0, description=(
        "seconds `/readyz` (and a metrics scrape) waits for the store before reporting it "
        "unreachable"))
    cors_origins: str = Field(default="", description=(
        "comma-separated origins (`https://okr.example.com`) whose pages may call the API "
        "from a browser (CORS); empty: none"))
    signing_key_file: str = Field(default="", description=(
        "a PEM Ed25519 private key that signs the log's checkpoints; empty: one kept in the "
        "data directory (`checkpoint-signing.key`, readable by its owner only), made on first "
        "use"))
    log_origin: str = Field(default="okr-ledger.local/log", pattern=r"^[^\s+]+$", description=(
        "the origin line of every signed checkpoint, and the signing key's name: a schema-less "
        "URL naming this log, e.g. okr.example.com/log (no spaces or `+`)"))
    checkpoint_every: int = Field(default=1000, ge=1, description=(
        "events sealed between two signed checkpoints"))
    checkpoint_seconds: float = Field(default=10.0, gt=0, description=(
        "seconds after which events sealed since the last checkpoint get one, however few"))
    integrity_check_seconds: float = Field(default=300.0, ge=0, description=(
        "seconds between the server's checks of the log against its sealed leaves and signed "
        "checkpoints (`okr audit verify`): the whole log when it starts and every 12th check, "
        "otherwise what came after the last tree size verified; a fault refuses writes "
        "until `okr audit acknowledge`; "
        "0: only at start"))

    @field_validator("database_url")
    @classmethod
    def _a_postgres_url(cls, url: str) -> str:
        if url:
            postgres_env(url)
        return url

    @field_validator("kafka_bootstrap")
    @classmethod
    def _host_port_pairs(cls, servers: str) -> str:
        if servers and not all(map(BOOTSTRAP_ENTRY.fullmatch, servers.split(","))):
            raise ValueError(BOOTSTRAP_RULE)
        return servers

    @field_validator("reason_required")
    @classmethod
    def _known_actions(cls, names: str) -> str:
        return ",".join(sorted(parse_policy(names)))

    @field_validator("oidc_jwks_url")
    @classmethod
    def _all_of_oidc_or_none(cls, url: str, info: ValidationInfo) -> str:
        return check_oidc(info.data.get("oidc_issuer", ""), info.data.get("oidc_audience", ""),
                          url, env_name)

    @field_validator("oidc_role_map")
    @classmethod
    def _known_roles(cls, mapping: str) -> str:
        role_map(mapping)
        return mapping

    @field_validator("cors_origins")
    @classmethod
    def _origins(cls, origins: str) -> str:
        return check_origins(origins)

    @field_validator("max_krs")
    @classmethod
    def _not_below_min_krs(cls, most: int, info: ValidationInfo) -> int:
        fewest = info.data.get("min_krs", most)
        if most < fewest:
            raise ValueError(f"must be at least {env_name('min_krs')} ({fewest})")
        return most

    def persistence_env(self) -> dict[str, str]:
        """The eventsourcing environment shared by the ledger, the views and the relay; the
        data directory made private first (`workflows.store_files`)."""
        if not self.database_url:
            private_directory(Path(self.data_dir), int(self.umask, 8))
        env = persistence_env(self.data_dir, self.database_url)
        return small_pool(env, self.database_pool_size, overflow=10)

    def schema_base(self) -> str:
        """Where the server serves each event type's JSON Schema (CloudEvents' `dataschema`)."""
        base = self.public_url.rstrip("/") or f"http://{self.host}:{self.port}"
        return f"{base}/v1/events/schemas"

    def require_store(self) -> None:
        """Refuse, naming the option, a store that is not there (for commands that read)."""
        if self.database_url:
            require_postgres_store(postgres_env(self.database_url))
        else:
            require_sqlite_store(Path(self.data_dir))

    def rules(self) -> MethodologyRules:
        return MethodologyRules(min_key_results=self.min_krs, max_key_results=self.max_krs,
                                max_objectives_per_owner=self.max_objectives_per_owner,
                                reasons_required=parse_policy(self.reason_required),
                                require_known_people=self.require_known_people)


def env_name(field: str) -> str:
    return f"{ENV_PREFIX}{field.upper()}"


def as_environment(settings: Settings) -> dict[str, str]:
    """Every option as the `OKR_*` variable that gives it: how `okr serve --workers N` hands
    its settings, flags included, to worker processes that build their own."""
    return {env_name(field): _as_text(getattr(settings, field)) for field in Settings.model_fields}


def _as_text(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def load_settings(overrides: Mapping[str, object] | None = None,
                  flags: Mapping[str, str] | None = None) -> Settings:
    """Settings from `overrides` (say, command-line flags), then the environment, then the
    defaults; a bad value is a ValidationError naming its flag (from `flags`) or variable."""
    given: dict[str, Any] = dict(overrides or {})
    try:
        return Settings(**given)
    except pydantic.ValidationError as error:
        raise ValidationError(_fault(detail, given, flags or {})
                              for detail in error.errors()) from None


def _fault(detail: ErrorDetails, given: Mapping[str, object],
           flags: Mapping[str, str]) -> tuple[str, str]:
    field = str(detail["loc"][0]) if detail["loc"] else ""
    where = flags.get(field, field) if field in given else env_name(field)
    cause = detail.get("ctx", {}).get("error")
    return where, f"{cause or detail['msg']}; got {detail['input']!r}"


def persistence_env(data_dir: str | Path = DEFAULT_DATA_DIR,
                    database_url: str = "") -> dict[str, str]:
    """The eventsourcing environment for a database URL, else a data directory."""
    if database_url:
        return postgres_env(database_url)
    directory = Path(data_dir)
    directory.mkdir(parents=True, exist_ok=True)
    return sqlite_env(directory / SQLITE_FILE)


def sqlite_env(path: str | Path) -> dict[str, str]:
    return {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": str(path),
        "SQLITE_LOCK_TIMEOUT": "30",
    }


def small_pool(env: dict[str, str], size: int = 1, overflow: int = 2) -> dict[str, str]:
    """`env` for a helper's own connections to PostgreSQL (the relay's log reader, tracking
    positions): the library opens every pool's connections at once (5 by default), so each
    helper at full size put 30-40 connections behind one `okr serve` process, and three
    servers with other tests near PostgreSQL's limit of 100."""
    if env.get("PERSISTENCE_MODULE") != "eventsourcing.postgres":
        return env
    return {**env, "POSTGRES_POOL_SIZE": str(size), "POSTGRES_MAX_OVERFLOW": str(overflow)}


def postgres_env(url: str) -> dict[str, str]:
    """The library's PostgreSQL variables for `url`; ValueError unless it names a database."""
    parsed = urlparse(url)
    if parsed.scheme not in ("postgresql", "postgres") or not parsed.path.strip("/"):
        raise ValueError(POSTGRES_RULE)
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": unquote(parsed.path.lstrip("/")),
        "POSTGRES_HOST": parsed.hostname or "127.0.0.1",
        "POSTGRES_PORT": str(parsed.port or 5432),
        "POSTGRES_USER": unquote(parsed.username or "postgres"),
        "POSTGRES_PASSWORD": unquote(parsed.password or ""),
    }
    schema = parse_qs(parsed.query).get("schema")
    if schema:
        env["POSTGRES_SCHEMA"] = schema[0]
    return env
