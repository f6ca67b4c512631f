"""OpenID Connect access tokens from an identity provider, beside the server's own tokens."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jwt
import pytest

from api.tokens import issue_token
from domain.errors import ValidationError
from tests.api.conftest import SECRET, serving
from tests.api.http import Callers
from tests.api.identity_provider import (
    AUDIENCE,
    ISSUER,
    IdentityProvider,
    SigningKey,
    identity_provider,
)
from workflows.settings import Settings, load_settings

RSA_KEY = SigningKey.rsa("rsa-2026-01")
EC_KEY = SigningKey.ec("ec-2026-01")
LATER_KEY = SigningKey.rsa("rsa-2026-07")


@pytest.fixture
def provider() -> Iterator[IdentityProvider]:
    with identity_provider(RSA_KEY, EC_KEY) as running:
        yield running


def oidc_settings(tmp_path: Path, provider: IdentityProvider, **options: Any) -> Settings:
    return Settings(data_dir=tmp_path, secret=SECRET, oidc_issuer=ISSUER,
                    oidc_audience=AUDIENCE, oidc_jwks_url=provider.url, **options)


def whoami(api: Callers, token: str) -> tuple[int, Any]:
    """Whether the API takes the token: the status and body of a read every role may make."""
    answer = api.client.get("/v1/cycles", headers={"Authorization": f"Bearer {token}"})
    return answer.status_code, answer.json()


def test_rs256_and_es256_tokens_of_the_provider_are_accepted_with_their_subject_and_role(
        tmp_path, provider):
    with serving(oidc_settings(tmp_path, provider)) as api:
        for key in (RSA_KEY, EC_KEY):
            status, _ = whoami(api, provider.token(key))
            assert status == 200
        admin = {"Authorization": f"Bearer {provider.token(sub='ada', roles=['admin'])}"}
        opened = api.client.post("/v1/cycles", headers=admin, json={
            "name": "2026-Q4", "starts_on": "2026-10-01", "ends_on": "2026-12-31"})
        assert opened.status_code == 201
        member = {"Authorization": f"Bearer {provider.token(sub='bob', roles=['member'])}"}
        refused = api.client.post("/v1/cycles", headers=member, json={
            "name": "2027-Q1", "starts_on": "2027-01-01", "ends_on": "2027-03-31"})
        assert refused.status_code == 403 and "role 'member'" in refused.json()["detail"]
        assert provider.fetches == 1


@pytest.mark.parametrize("claims", [
    {"ttl": -120}, {"aud": "another-api"}, {"iss": "https://login.example.com/realms/other"},
    {"exp": None}, {"aud": None}])
def test_expired_foreign_or_incomplete_tokens_are_401(tmp_path, provider, claims):
    with serving(oidc_settings(tmp_path, provider)) as api:
        status, problem = whoami(api, provider.token(**claims))
        assert status == 401, problem
        assert problem["title"] == "Unauthorized"


def test_a_token_naming_a_key_the_provider_does_not_publish_is_401(tmp_path, provider):
    with serving(oidc_settings(tmp_path, provider)) as api:
        status, problem = whoami(api, provider.token(LATER_KEY))
        assert status == 401
        assert "a key the identity provider does not publish" in problem["detail"]
        status, _ = whoami(api, provider.token(LATER_KEY, kid=RSA_KEY.kid))
        assert status == 401


def test_only_rs256_and_es256_and_our_own_hs256_are_accepted(tmp_path, provider):
    with serving(oidc_settings(tmp_path, provider)) as api:
        rs384 = jwt.encode({"iss": ISSUER, "aud": AUDIENCE, "sub": "bob", "roles": ["admin"],
                            "exp": 4102444800}, RSA_KEY.private, algorithm="RS384",
                           headers={"kid": RSA_KEY.kid})
        unsigned = jwt.encode({"iss": ISSUER, "aud": AUDIENCE, "sub": "bob", "roles": ["admin"],
                               "exp": 4102444800}, None, algorithm="none")
        for token in (rs384, unsigned, "not-a-jwt"):
            assert whoami(api, token)[0] == 401
        assert whoami(api, issue_token(SECRET, "ada", "admin"))[0] == 200


def test_a_rotated_key_is_fetched_once_when_a_token_first_names_it(tmp_path, provider):
    with serving(oidc_settings(tmp_path, provider, oidc_jwks_cooldown_seconds=0)) as api:
        assert whoami(api, provider.token())[0] == 200
        provider.published.append(LATER_KEY)
        for _ in range(3):
            assert whoami(api, provider.token(LATER_KEY))[0] == 200
        assert provider.fetches == 2


def test_unknown_key_ids_do_not_make_the_keys_be_fetched_again_within_the_cooldown(
        tmp_path, provider):
    with serving(oidc_settings(tmp_path, provider)) as api:
        assert whoami(api, provider.token())[0] == 200
        for number in range(5):
            assert whoami(api, provider.token(kid=f"forged-{number}"))[0] == 401
        assert provider.fetches == 1


def test_subject_and_role_come_from_the_configured_claims_through_the_role_map(
        tmp_path, provider):
    settings = oidc_settings(tmp_path, provider, oidc_subject_claim="preferred_username",
                             oidc_role_claim="realm_access.roles",
                             oidc_role_map="okr-admins=admin,okr-users=member,audit=auditor")
    with serving(settings) as api:
        token = provider.token(sub="0c9b-opaque", preferred_username="ada", roles=None,
                               realm_access={"roles": ["okr-users", "okr-admins", "other"]})
        opened = api.client.post("/v1/cycles", headers={"Authorization": f"Bearer {token}"},
                                 json={"name": "2026-Q4", "starts_on": "2026-10-01",
                                       "ends_on": "2026-12-31"})
        assert opened.status_code == 201
        unmapped = provider.token(preferred_username="eve", realm_access={"roles": ["other"]})
        status, problem = whoami(api, unmapped)
        assert status == 403 and "OKR_OIDC_ROLE_MAP" in problem["detail"]
        nameless = provider.token(preferred_username=None, realm_access={"roles": ["audit"]})
        assert whoami(api, nameless)[0] == 401


def test_a_provider_whose_keys_cannot_be_fetched_is_503_not_401(tmp_path, provider):
    provider.available = False
    with serving(oidc_settings(tmp_path, provider)) as api:
        answer = api.client.get("/v1/cycles",
                                headers={"Authorization": f"Bearer {provider.token()}"})
        assert answer.status_code == 503
        assert answer.headers["Retry-After"] == "5"


def test_oidc_settings_are_given_together_or_not_at_all(tmp_path):
    with pytest.raises(ValidationError) as refused:
        load_settings({"data_dir": tmp_path, "oidc_issuer": ISSUER})
    assert refused.value.violations[0][0] == "OKR_OIDC_JWKS_URL"
    with pytest.raises(ValidationError) as refused:
        load_settings({"oidc_role_map": "okr-admins=boss"})
    assert "with a role among admin, member, auditor, integrator; not 'okr-admins=boss'" in \
        refused.value.violations[0][1]
