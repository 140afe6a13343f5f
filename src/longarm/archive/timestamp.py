"""Optional RFC 3161 trusted timestamps: a third party's signed word that a WARC existed at a time.

A capture's own ``fetched_at`` is only longarm's claim. When a timestamp
authority (TSA) is configured, the SHA-256 of the WARC file is sent to it and
the signed token it returns is kept beside the WARC (``.tsr``), so anyone can
later show with standard tools (``openssl ts -verify``) that these exact bytes
existed no later than the token's time. Only the hash leaves the machine. With
no TSA configured nothing is sent and captures simply carry no token.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

import httpx
from rfc3161_client import HashAlgorithm, PKIStatus, TimestampRequestBuilder, decode_timestamp_response

from longarm.archive.fetch import USER_AGENT

TIMESTAMP_QUERY = "application/timestamp-query"
TIMESTAMP_REPLY = "application/timestamp-reply"


class TimestampError(Exception):
    """The TSA gave no usable token; the capture is kept without one."""


@dataclass(frozen=True)
class Timestamp:
    token: bytes
    gen_time: datetime


def timestamp_request(data: bytes) -> bytes:
    """A DER TimeStampReq for the SHA-256 of ``data``, asking for the TSA's certificate in the reply."""
    request = TimestampRequestBuilder(data=data, hash_algorithm=HashAlgorithm.SHA256, nonce=True, cert_req=True).build()
    return request.as_bytes()


def request_timestamp(tsa_url: str, data: bytes, timeout: float) -> Timestamp:
    """Ask the TSA at ``tsa_url`` to timestamp ``data``; check the reply covers exactly that hash."""
    body = timestamp_request(data)
    try:
        reply = httpx.post(
            tsa_url,
            content=body,
            headers={"Content-Type": TIMESTAMP_QUERY, "Accept": TIMESTAMP_REPLY, "User-Agent": USER_AGENT},
            timeout=timeout,
            trust_env=False,
        )
    except httpx.HTTPError as exc:
        raise TimestampError(f"TSA {tsa_url}: {type(exc).__name__}") from None
    if reply.status_code != 200:
        raise TimestampError(f"TSA {tsa_url}: HTTP {reply.status_code}")
    try:
        response = decode_timestamp_response(reply.content)
    except ValueError as exc:
        raise TimestampError(f"TSA {tsa_url}: not a timestamp reply ({exc})") from None
    if response.status not in (PKIStatus.GRANTED, PKIStatus.GRANTED_WITH_MODS):
        raise TimestampError(f"TSA {tsa_url}: refused ({' '.join(response.status_string) or response.status})")
    imprint = response.tst_info.message_imprint.message
    if imprint != hashlib.sha256(data).digest():
        raise TimestampError(f"TSA {tsa_url}: token covers another hash")
    return Timestamp(token=response.as_bytes(), gen_time=response.tst_info.gen_time)


def token_imprint(token: bytes) -> bytes:
    """The hash a stored token vouches for, for `longarm verify`."""
    return decode_timestamp_response(token).tst_info.message_imprint.message
