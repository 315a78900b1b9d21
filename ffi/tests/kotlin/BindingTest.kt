package certqr.tests

import java.io.ByteArrayOutputStream
import java.nio.ByteBuffer
import java.util.zip.Inflater
import kotlin.test.Test
import kotlin.test.assertContains
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNull
import kotlin.test.assertTrue
import org.certqr.Algorithm
import org.certqr.CertificateData
import org.certqr.CertqrException
import org.certqr.Issuer
import org.certqr.Sex
import org.certqr.Verdict
import org.certqr.VerdictStatus
import org.certqr.Verifier
import org.certqr.scanLumaPlane

/** certqr through its Kotlin binding on the JVM: the cases of the Python tests. */
class BindingTest {
    private val state = Fixtures.stateDirectory()

    /** A verifier in a new state directory with trust list 1 installed. */
    private val verifier = Verifier(listOf(Fixtures.rootPem), state).also {
        it.installTrustList(Fixtures.bytes("trust-list-1.cose"))
    }

    private fun codes(verdict: Verdict) = verdict.reasons.map { it.code }

    @Test
    fun validCertificateGivesItsDisplayFields() {
        val verdict = verifier.verify(Fixtures.certificateText, Fixtures.now)
        assertEquals(VerdictStatus.VALID, verdict.status)
        assertEquals(emptyList(), verdict.reasons)
        val fields = verdict.certificate!!
        assertTrue(fields.verified)
        assertTrue(fields.authentic)
        assertEquals("张建国", fields.holderName)
        assertEquals(Sex.MALE, fields.sex)
        assertEquals("3201**********123X", fields.idNumber)
        assertEquals("T3201**********123X", fields.number)
        assertEquals("特种作业操作证", fields.familyNameZh)
        assertEquals("高压电工作业", fields.itemNameZh)
        assertEquals(listOf("2024-06-01", "2030-05-31", "2027-06-01"), listOf(fields.validFrom, fields.validUntil, fields.reviewDue))
        assertEquals("江苏省应急管理厅", verdict.issuer!!.nameZh)
        assertEquals("Ed25519", verdict.issuer!!.algorithm)
    }

    @Test
    fun theBindingsIssuerSignsWhatTheVerifierAccepts() {
        val issuer = Issuer.fromPkcs8Pem(Fixtures.file("issuer.key").readText())
        val text = issuer.issue(certificateData())
        assertTrue(text.startsWith("CQ1"), text)
        val verdict = verifier.verify(text, Fixtures.now)
        assertEquals(VerdictStatus.VALID, verdict.status)
        assertEquals("Low-voltage electrical work", verdict.certificate!!.itemNameEn)
        assertEquals(issuer.keyId(), verdict.issuer!!.keyId)
        val png = issuer.renderPng(text, 4)
        assertEquals(listOf(0x89, 'P'.code, 'N'.code, 'G'.code), png.take(4).map { it.toInt() and 0xff })
        val found = verifier.scanPhoto(png, Fixtures.now)
        assertEquals(listOf(text), found.map { it.text })
        assertEquals(VerdictStatus.VALID, found[0].verdict.status)
        assertTrue(issuer.renderSvg(text, 4).startsWith("<svg"))
    }

    @Test
    fun tamperedCertificateIsInvalid() {
        val document = signedDocument(Fixtures.certificateText)
        document[document.size / 2] = (document[document.size / 2].toInt() xor 1).toByte()
        val verdict = verifier.verify("CQ1:" + Base45.encode(document), Fixtures.now)
        assertEquals(VerdictStatus.INVALID, verdict.status)
        assertEquals(listOf("bad-signature"), codes(verdict))
        assertContains(verdict.reasons[0].messageZh, "签名验证失败")
        assertNull(verdict.issuer)
        assertTrue(verdict.certificate?.verified != true)
    }

    @Test
    fun webLinksAreNotCertificates() {
        val verdict = verifier.verify(Fixtures.lookAlikeLink, Fixtures.now)
        assertEquals(VerdictStatus.NOT_A_CERTIFICATE, verdict.status)
        assertEquals(listOf("look-alike-website"), codes(verdict))
        assertContains(verdict.reasons[0].messageEn, "ajj.jiangsu.gov.cn")
        assertEquals("ajj.jiangsu.gov.cn", verdict.reasons[0].details.imitates)
        assertEquals(listOf("official-website"), codes(verifier.verify("https://ajj.jiangsu.gov.cn/cx", Fixtures.now)))
        assertEquals(listOf("website-link"), codes(verifier.verify("https://example.com/", Fixtures.now)))
    }

    @Test
    fun frameWithACode() {
        val found = verifier.scanFrame(
            Fixtures.frameLumaBuffer,
            Fixtures.frameWidth,
            Fixtures.frameHeight,
            Fixtures.frameRowStride,
            Fixtures.now,
        )
        assertEquals(1, found.size)
        assertEquals(Fixtures.certificateText, found[0].text)
        assertEquals(VerdictStatus.VALID, found[0].verdict.status)
        assertTrue(found[0].corners.size >= 3)
        for (corner in found[0].corners) {
            assertTrue(corner.x > 600 && corner.x < 940 && corner.y > 190 && corner.y < 530, "$corner")
        }
    }

    @Test
    fun frameWithoutACode() {
        val luma = ByteArray(640 * 480) { (it % 251).toByte() }
        assertEquals(emptyList(), verifier.scanFrame(Fixtures.direct(luma), 640, 480, 640, Fixtures.now))
    }

    private fun scanFrameIn(buffer: ByteBuffer) = verifier.scanFrame(
        buffer,
        Fixtures.frameWidth,
        Fixtures.frameHeight,
        Fixtures.frameRowStride,
        Fixtures.now,
    )

    @Test
    fun frameBufferWithAPositionIsRefusedWhenItsLengthCannotFitAndReadRightByTheWrapper() {
        // The plane between 4096 bytes before and 4096 after, the position at the plane
        // and the limit at the end: uniffi passes remaining() bytes from the buffer's
        // start, which is more than the frame's rows can hold.
        val luma = Fixtures.frameLuma
        val buffer = ByteBuffer.allocateDirect(4096 + luma.size + 4096)
        buffer.position(4096)
        buffer.put(luma).position(4096)
        val refused = assertFailsWith<CertqrException.BadFrame> { scanFrameIn(buffer) }
        assertContains(refused.message!!, "position 0")

        // scanLumaPlane reads from the position to the limit: the same pixels, so the same
        // code at the same corners as from a buffer of its own.
        buffer.limit(4096 + luma.size)
        val expected = scanFrameIn(Fixtures.frameLumaBuffer)
        val width = Fixtures.frameWidth
        val height = Fixtures.frameHeight
        val stride = Fixtures.frameRowStride
        val found = verifier.scanLumaPlane(buffer, width, height, stride, Fixtures.now)
        assertEquals(listOf(Fixtures.certificateText), found.map { it.text })
        assertEquals(expected.map { it.corners }, found.map { it.corners })
        assertEquals(4096, buffer.position(), "the call must not move the buffer")

        // A heap buffer, which scanFrame refuses, is copied by the wrapper.
        val heap = ByteBuffer.wrap(ByteArray(16) + luma).position(16)
        assertEquals(expected, verifier.scanLumaPlane(heap, width, height, stride, Fixtures.now))
    }

    @Test
    fun frameInAHeapBufferIsRefusedByScanFrame() {
        // uniffi borrows the plane's memory: only a direct buffer has an address to lend.
        assertFailsWith<IllegalArgumentException> { scanFrameIn(ByteBuffer.wrap(Fixtures.frameLuma)) }
    }

    @Test
    fun badTrustListIsRefusedAndTheInstalledOneStays() {
        val forged = assertFailsWith<CertqrException.InvalidTrustList> {
            verifier.installTrustList(Fixtures.bytes("trust-list-forged.cose"))
        }
        assertContains(forged.message!!, "not signed by a pinned root key")
        assertFailsWith<CertqrException.InvalidTrustList> { verifier.installTrustList("not a trust list".toByteArray()) }
        assertEquals(1L, verifier.trustList()!!.sequence)
        assertEquals(VerdictStatus.VALID, verifier.verify(Fixtures.certificateText, Fixtures.now).status)
    }

    @Test
    fun errorPaths() {
        assertFailsWith<CertqrException.BadFrame> { verifier.scanFrame(ByteBuffer.allocateDirect(100 * 100), 100, 100, 99, Fixtures.now) }
        assertFailsWith<CertqrException.BadFrame> { verifier.scanFrame(ByteBuffer.allocateDirect(100 * 99), 100, 100, 100, Fixtures.now) }
        // Sizes are Int, not UInt (Java could not call a UInt function): negative ones are named.
        val negative = assertFailsWith<CertqrException.BadFrame> { verifier.scanFrame(ByteBuffer.allocateDirect(100), 10, -10, 10, Fixtures.now) }
        assertContains(negative.message!!, "the frame's height -10 is negative")
        assertFailsWith<CertqrException.InvalidArgument> { Issuer.fromSeed(Algorithm.ED25519, ByteArray(32)).renderPng("hello", -4) }
        assertFailsWith<CertqrException.InvalidKey> { Verifier.open(listOf("not a key"), Fixtures.stateDirectory()) }
        assertFailsWith<CertqrException.BadImage> { verifier.scanPhoto("GIF89a".toByteArray(), Fixtures.now) }
        assertFailsWith<CertqrException.InvalidArgument> { verifier.verify("hello", 1L shl 62) }
        assertFailsWith<CertqrException.InvalidKey> { Verifier(listOf("not a key"), Fixtures.stateDirectory()) }
        val seed = assertFailsWith<CertqrException.InvalidKey> { Issuer.fromSeed(Algorithm.ED25519, ByteArray(31)) }
        assertContains(seed.message!!, "a seed is 32 bytes, not 31")
        val issuer = Issuer.fromPkcs8Pem(Fixtures.file("issuer.key").readText())
        val data = assertFailsWith<CertqrException.InvalidCertificateData> {
            issuer.issue(certificateData(idNumber = "32010219850612123Y"))
        }
        assertContains(data.message!!, "id_number")
        assertFalse(data.message!!.contains("3201021985"), "the message quotes the ID number: ${data.message}")
    }

    @Test
    fun stateSurvivesARestartAndRefusesRollback() {
        val directory = Fixtures.stateDirectory()
        Verifier(listOf(Fixtures.rootPem), directory).use { first ->
            assertNull(first.trustList())
            assertEquals(2L, first.installTrustList(Fixtures.bytes("trust-list-2.cose")).sequence)
        }
        Verifier(listOf(Fixtures.rootPem), directory).use { second ->
            assertEquals(2L, second.trustList()!!.sequence)
            assertEquals(VerdictStatus.VALID, second.verify(Fixtures.certificateText, Fixtures.now).status)
            val rollback = assertFailsWith<CertqrException.TrustListRollback> {
                second.installTrustList(Fixtures.bytes("trust-list-1.cose"))
            }
            assertContains(rollback.message!!, "sequence 1 is older than the installed 2")
        }
    }

    @Test
    fun revocationIsCheckedAndRemembered() {
        assertEquals(2L, verifier.installRevocationList(Fixtures.bytes("revocation-list-2.cose")).sequence)
        val verdict = verifier.verify(Fixtures.certificateText, Fixtures.now)
        assertEquals(listOf("revoked"), codes(verdict))
        // Genuine but revoked: authentic, never verified.
        assertTrue(verdict.certificate!!.authentic)
        assertTrue(!verdict.certificate!!.verified)
        assertEquals("真实证书，但已被吊销", verdict.summaryZh)
        // One verifier per directory: a second is refused until the first is closed.
        val inUse = assertFailsWith<CertqrException.StateDirectory> { Verifier(listOf(Fixtures.rootPem), state) }
        assertContains(inUse.message!!, "in use by another verifier")
        verifier.close()
        Verifier(listOf(Fixtures.rootPem), state).use { reopened ->
            assertEquals(listOf("revoked"), codes(reopened.verify(Fixtures.certificateText, Fixtures.now)))
            assertFailsWith<CertqrException.RevocationListRollback> {
                reopened.installRevocationList(Fixtures.bytes("revocation-list-1.cose"))
            }
        }
    }

    private fun certificateData(idNumber: String = "32010219850612123X") = CertificateData(
        family = "special-operations",
        item = "1.2",
        holderName = "张建国",
        sex = Sex.MALE,
        idNumber = idNumber,
        number = "T32010219850612123X",
        firstIssued = "2024-06-01",
        validFrom = "2024-06-01",
        validUntil = "2030-05-31",
        reviewDue = "2027-06-01",
    )

    /** The signed document bytes inside certqr text (`CQ1:` Base45, `CQ1Z:` raw deflate). */
    private fun signedDocument(text: String): ByteArray {
        if (text.startsWith("CQ1Z:")) {
            val inflater = Inflater(true)
            inflater.setInput(Base45.decode(text.substring(5)))
            val out = ByteArrayOutputStream()
            val buffer = ByteArray(4096)
            while (!inflater.finished()) {
                val read = inflater.inflate(buffer)
                if (read == 0 && inflater.needsInput()) break
                out.write(buffer, 0, read)
            }
            return out.toByteArray()
        }
        assertTrue(text.startsWith("CQ1:"), text)
        return Base45.decode(text.substring(4))
    }
}

/** RFC 9285 Base45, independent of the library. */
object Base45 {
    private const val ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"

    fun decode(text: String): ByteArray {
        val out = ByteArrayOutputStream()
        for (chunk in text.chunked(3)) {
            var n = 0
            var weight = 1
            for (c in chunk) {
                val value = ALPHABET.indexOf(c)
                require(value >= 0) { "not Base45: $c" }
                n += value * weight
                weight *= 45
            }
            if (chunk.length == 3) out.write(n shr 8)
            out.write(n and 0xff)
        }
        return out.toByteArray()
    }

    fun encode(data: ByteArray): String = buildString {
        for (i in data.indices step 2) {
            var n = data[i].toInt() and 0xff
            val digits = if (i + 1 < data.size) 3 else 2
            if (digits == 3) n = n * 256 + (data[i + 1].toInt() and 0xff)
            var rest = n
            repeat(digits) {
                append(ALPHABET[rest % 45])
                rest /= 45
            }
        }
    }
}
