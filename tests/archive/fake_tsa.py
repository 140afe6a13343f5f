"""A small RFC 3161 timestamp authority for tests: a throwaway key that signs a TSTInfo for any request.

Real TSAs are on the internet, which tests must not touch; this one answers on
the 127.0.0.1 test server with a reply the same libraries parse and verify.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from asn1crypto import cms, core, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from rfc3161_client import _rust as rfc3161


class FakeTsa:
    def __init__(self) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "longarm test TSA")])
        now = dt.datetime.now(dt.UTC)
        self.cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
            .sign(self.key, hashes.SHA256())
        )
        self.serial = 0

    def reply(self, request_der: bytes) -> bytes:
        """A granted TimeStampResp (DER) for a TimeStampReq (DER)."""
        request = rfc3161.parse_timestamp_request(request_der)
        self.serial += 1
        imprint = {"hash_algorithm": {"algorithm": "sha256"}, "hashed_message": request.message_imprint.message}
        content = tsp.TSTInfo(
            {
                "version": "v1",
                "policy": "1.3.6.1.4.1.99999.1",
                "message_imprint": imprint,
                "serial_number": self.serial,
                "gen_time": dt.datetime.now(dt.UTC).replace(microsecond=0),
                "nonce": request.nonce,
            }
        ).dump()
        cert = asn1_x509.Certificate.load(self.cert.public_bytes(serialization.Encoding.DER))
        signing_cert = {"certs": [{"cert_hash": hashlib.sha256(cert.dump()).digest()}]}
        signed_attrs = cms.CMSAttributes(
            [
                cms.CMSAttribute({"type": "content_type", "values": ["tst_info"]}),
                cms.CMSAttribute({"type": "message_digest", "values": [hashlib.sha256(content).digest()]}),
                cms.CMSAttribute({"type": "signing_certificate_v2", "values": [signing_cert]}),
            ]
        )
        signer = cms.SignerInfo(
            {
                "version": "v1",
                "sid": cms.SignerIdentifier(
                    {"issuer_and_serial_number": {"issuer": cert.issuer, "serial_number": cert.serial_number}}
                ),
                "digest_algorithm": {"algorithm": "sha256"},
                "signed_attrs": signed_attrs,
                "signature_algorithm": {"algorithm": "sha256_ecdsa"},
                "signature": self.key.sign(signed_attrs.dump(), ec.ECDSA(hashes.SHA256())),
            }
        )
        signed = cms.SignedData(
            {
                "version": "v3",
                "digest_algorithms": [{"algorithm": "sha256"}],
                "encap_content_info": {"content_type": "tst_info", "content": core.ParsableOctetString(content)},
                "certificates": [cert],
                "signer_infos": [signer],
            }
        )
        token = {"content_type": "signed_data", "content": signed}
        return bytes(tsp.TimeStampResp({"status": {"status": "granted"}, "time_stamp_token": token}).dump())
