"""The Settings page's encrypted backup: a passphrase field, errors inline, an age file."""

from __future__ import annotations

import json

import pyrage

from tests.web.conftest import Browser, csrf_of

PASSPHRASE = "correct horse battery staple"


def test_encrypted_json_download_opens_with_the_passphrase_only(local_client: Browser) -> None:
    token = csrf_of(local_client, "/settings")
    local_client.post(
        "/log/pain", data={"csrf_token": token, "score": "4", "note": "kratom at noon"}
    )
    page = local_client.get("/settings").text
    assert '<label for="passphrase">Passphrase</label>' in page
    assert '<label for="passphrase_again">Repeat the passphrase</label>' in page

    response = local_client.post(
        "/settings/backup",
        data={
            "csrf_token": token,
            "backup_format": "json",
            "passphrase": PASSPHRASE,
            "passphrase_again": PASSPHRASE,
        },
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/octet-stream"
    assert ".json.age" in response.headers["content-disposition"]
    assert "no-store" in response.headers["cache-control"]
    sealed = response.content
    assert sealed.startswith(b"age-encryption.org/v1\n")
    assert b"kratom" not in sealed
    assert b"speciosa" not in sealed
    document = json.loads(pyrage.passphrase.decrypt(sealed, PASSPHRASE))
    assert document == json.loads(local_client.get("/api/v1/export").text)


def test_passphrase_mistakes_are_shown_inline_and_nothing_is_downloaded(
    local_client: Browser,
) -> None:
    token = csrf_of(local_client, "/settings")
    different = local_client.post(
        "/settings/backup",
        data={"csrf_token": token, "passphrase": PASSPHRASE, "passphrase_again": "other"},
    )
    assert different.status_code == 422
    assert different.headers["content-type"].startswith("text/html")
    assert 'id="passphrase_again-error"' in different.text
    assert 'aria-invalid="true" aria-describedby="passphrase_again-error"' in different.text
    empty = local_client.post(
        "/settings/backup", data={"csrf_token": token, "passphrase": "", "passphrase_again": ""}
    )
    assert empty.status_code == 422
    assert 'id="passphrase-error"' in empty.text
