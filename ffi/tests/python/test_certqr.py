"""certqr through its Python binding: the same cases as the Rust tests of ffi/src/tests.rs."""

import zlib

import pytest

import certqr

BASE45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"


def base45_decode(text):
    """RFC 9285 Base45, independent of the library."""
    values = [BASE45.index(c) for c in text]
    out = bytearray()
    for i in range(0, len(values), 3):
        chunk = values[i : i + 3]
        n = sum(v * 45**k for k, v in enumerate(chunk))
        out += n.to_bytes(2 if len(chunk) == 3 else 1, "big")
    return bytes(out)


def base45_encode(data):
    out = []
    for i in range(0, len(data), 2):
        chunk = data[i : i + 2]
        n = int.from_bytes(chunk, "big")
        digits = 3 if len(chunk) == 2 else 2
        out += [BASE45[(n // 45**k) % 45] for k in range(digits)]
    return "".join(out)


def signed_document(text):
    """The signed document bytes inside certqr text."""
    if text.startswith("CQ1Z:"):
        return zlib.decompress(base45_decode(text[5:]), -15)
    assert text.startswith("CQ1:")
    return base45_decode(text[4:])


def certificate_data(**changes):
    data = dict(
        family="special-operations",
        item="1.2",
        holder_name="张建国",
        sex=certqr.Sex.MALE,
        id_number="32010219850612123X",
        number="T32010219850612123X",
        first_issued="2024-06-01",
        valid_from="2024-06-01",
        valid_until="2030-05-31",
        review_due="2027-06-01",
    )
    data.update(changes)
    return certqr.CertificateData(**data)


def codes(verdict):
    return [reason.code for reason in verdict.reasons]


def test_a_valid_certificate_gives_its_display_fields(verifier, fixtures):
    verdict = verifier.verify(fixtures.certificate_text, fixtures.now)
    assert verdict.status == certqr.VerdictStatus.VALID
    assert verdict.reasons == []
    fields = verdict.certificate
    assert fields.verified and fields.authentic
    assert verdict.summary_zh == "有效证书，已核验"
    assert fields.holder_name == "张建国"
    assert fields.sex == certqr.Sex.MALE
    assert fields.id_number == "3201**********123X"
    assert fields.number == "T3201**********123X"
    assert fields.family == "special-operations"
    assert fields.family_name_zh == "特种作业操作证"
    assert fields.item_name_zh == "高压电工作业"
    assert (fields.valid_from, fields.valid_until, fields.review_due) == (
        "2024-06-01",
        "2030-05-31",
        "2027-06-01",
    )
    assert verdict.issuer.name_zh == "江苏省应急管理厅"
    assert verdict.issuer.algorithm == "Ed25519"


def test_the_binding_issuer_signs_what_the_verifier_accepts(verifier, fixtures):
    issuer = certqr.Issuer.from_pkcs8_pem(fixtures.issuer_pem)
    text = issuer.issue(certificate_data())
    assert text.startswith("CQ1")
    verdict = verifier.verify(text, fixtures.now)
    assert verdict.status == certqr.VerdictStatus.VALID
    assert verdict.certificate.item_name_en == "Low-voltage electrical work"
    assert verdict.issuer.key_id == issuer.key_id()
    png = issuer.render_png(text, 4)
    assert png.startswith(b"\x89PNG")
    [found] = verifier.scan_photo(png, fixtures.now)
    assert found.text == text
    assert found.verdict.status == certqr.VerdictStatus.VALID
    assert issuer.render_svg(text, 4).startswith("<svg")


def test_a_tampered_certificate_is_invalid(verifier, fixtures):
    document = bytearray(signed_document(fixtures.certificate_text))
    document[len(document) // 2] ^= 1
    verdict = verifier.verify("CQ1:" + base45_encode(bytes(document)), fixtures.now)
    assert verdict.status == certqr.VerdictStatus.INVALID
    assert codes(verdict) == ["bad-signature"]
    assert "签名验证失败" in verdict.reasons[0].message_zh
    assert verdict.issuer is None
    assert verdict.certificate is None or not verdict.certificate.verified


def test_web_links_are_not_certificates(verifier, fixtures):
    verdict = verifier.verify(fixtures.info["look_alike_link"], fixtures.now)
    assert verdict.status == certqr.VerdictStatus.NOT_A_CERTIFICATE
    assert codes(verdict) == ["look-alike-website"]
    assert fixtures.info["official_domain"] in verdict.reasons[0].message_en
    assert verdict.reasons[0].details.imitates == fixtures.info["official_domain"]
    assert verdict.reasons[0].details.trick is not None
    official = f"https://{fixtures.info['official_domain']}/cx"
    assert codes(verifier.verify(official, fixtures.now)) == ["official-website"]
    assert codes(verifier.verify("https://example.com/", fixtures.now)) == ["website-link"]


def test_a_frame_with_a_code(verifier, fixtures):
    frame = fixtures.info["frame"]
    found = verifier.scan_frame(
        fixtures.read(frame["file"]),
        frame["width"],
        frame["height"],
        frame["row_stride"],
        fixtures.now,
    )
    assert len(found) == 1
    assert found[0].text == fixtures.certificate_text
    assert found[0].verdict.status == certqr.VerdictStatus.VALID
    assert len(found[0].corners) >= 3
    for corner in found[0].corners:
        assert 600 < corner.x < 940 and 190 < corner.y < 530


def test_a_frame_without_a_code(verifier, fixtures):
    luma = bytes(i % 251 for i in range(640 * 480))
    assert verifier.scan_frame(luma, 640, 480, 640, fixtures.now) == []


def test_a_frame_is_bytes_and_its_length_must_fit(verifier, fixtures):
    frame = fixtures.info["frame"]
    luma = fixtures.read(frame["file"])
    size = (frame["width"], frame["height"], frame["row_stride"], fixtures.now)
    # The plane is borrowed, not copied: uniffi takes only `bytes`.
    with pytest.raises(TypeError):
        verifier.scan_frame(bytearray(luma), *size)
    # More bytes than the rows can hold: the plane does not start where it should.
    with pytest.raises(certqr.CertqrError.BadFrame, match="position 0"):
        verifier.scan_frame(bytes(4096) + luma, *size)


def test_a_bad_trust_list_is_refused_and_the_installed_one_stays(verifier, fixtures):
    with pytest.raises(certqr.CertqrError.InvalidTrustList, match="not signed by a pinned root key"):
        verifier.install_trust_list(fixtures.read("trust-list-forged.cose"))
    with pytest.raises(certqr.CertqrError.InvalidTrustList):
        verifier.install_trust_list(b"not a trust list")
    assert verifier.trust_list().sequence == 1
    assert verifier.verify(fixtures.certificate_text, fixtures.now).status == certqr.VerdictStatus.VALID


def test_error_paths(verifier, fixtures, state_dir):
    with pytest.raises(certqr.CertqrError.BadFrame):
        verifier.scan_frame(bytes(100 * 100), 100, 100, 99, fixtures.now)
    with pytest.raises(certqr.CertqrError.BadFrame):
        verifier.scan_frame(bytes(100 * 99), 100, 100, 100, fixtures.now)
    # Sizes are signed across the boundary (for Java): a negative one is named.
    with pytest.raises(certqr.CertqrError.BadFrame, match="the frame's width -1 is negative"):
        verifier.scan_frame(bytes(100), -1, 10, 10, fixtures.now)
    with pytest.raises(certqr.CertqrError.BadImage):
        verifier.scan_photo(b"GIF89a", fixtures.now)
    with pytest.raises(certqr.CertqrError.InvalidArgument):
        verifier.verify("hello", 2**62)
    with pytest.raises(certqr.CertqrError.InvalidKey):
        certqr.Verifier(["not a key"], state_dir)
    with pytest.raises(certqr.CertqrError.InvalidKey, match="a seed is 32 bytes, not 31"):
        certqr.Issuer.from_seed(certqr.Algorithm.ED25519, bytes(31))


def test_bad_certificate_data_names_the_field_and_never_the_value(fixtures):
    issuer = certqr.Issuer.from_pkcs8_pem(fixtures.issuer_pem)
    with pytest.raises(certqr.CertqrError.InvalidCertificateData) as raised:
        issuer.issue(certificate_data(id_number="32010219850612123Y"))
    message = str(raised.value)
    assert "id_number" in message and "position 18" in message
    assert "3201021985" not in message
    with pytest.raises(certqr.CertqrError.InvalidCertificateData, match="valid_from: not a date"):
        issuer.issue(certificate_data(valid_from="1 June 2024"))


def test_state_survives_a_restart_and_refuses_rollback(fixtures, state_dir):
    first = certqr.Verifier([fixtures.root_pem], state_dir)
    assert first.trust_list() is None
    info = first.install_trust_list(fixtures.read("trust-list-2.cose"))
    assert info.sequence == 2
    del first

    second = certqr.Verifier([fixtures.root_pem], state_dir)
    assert second.trust_list().sequence == 2
    assert second.verify(fixtures.certificate_text, fixtures.now).status == certqr.VerdictStatus.VALID
    with pytest.raises(certqr.CertqrError.TrustListRollback, match="sequence 1 is older than the installed 2"):
        second.install_trust_list(fixtures.read("trust-list-1.cose"))


def test_revocation_is_checked_and_remembered(fixtures, state_dir):
    verifier = certqr.Verifier([fixtures.root_pem], state_dir)
    verifier.install_trust_list(fixtures.read("trust-list-1.cose"))
    assert verifier.install_revocation_list(fixtures.read("revocation-list-2.cose")).sequence == 2
    verdict = verifier.verify(fixtures.certificate_text, fixtures.now)
    assert verdict.status == certqr.VerdictStatus.INVALID
    assert codes(verdict) == ["revoked"]
    # Genuine but revoked: authentic, never verified.
    assert verdict.certificate.authentic and not verdict.certificate.verified
    assert verdict.summary_en == "genuine certificate, but revoked"
    # One verifier per directory: a second is refused until the first is gone.
    with pytest.raises(certqr.CertqrError.StateDirectory, match="in use by another verifier"):
        certqr.Verifier([fixtures.root_pem], state_dir)
    del verifier
    reopened = certqr.Verifier([fixtures.root_pem], state_dir)
    assert codes(reopened.verify(fixtures.certificate_text, fixtures.now)) == ["revoked"]
    with pytest.raises(certqr.CertqrError.RevocationListRollback):
        reopened.install_revocation_list(fixtures.read("revocation-list-1.cose"))
