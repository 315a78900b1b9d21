package org.certqr.demo.core

import kotlin.test.AfterTest
import kotlin.test.Test
import kotlin.test.assertContains
import kotlin.test.assertEquals
import kotlin.test.assertIs
import kotlin.test.assertNull
import org.certqr.CertqrException
import org.certqr.Point
import org.certqr.ScannedCode
import org.certqr.Verifier

class VerdictScreenTest {
    private val verifier = Verifier(listOf(TestFixtures.rootPem), TestFixtures.stateDirectory()).also {
        it.installTrustList(TestFixtures.bytes("trust-list-1.cose"))
    }

    @AfterTest
    fun close() = verifier.close()

    private fun screenFor(text: String) = verdictScreen(verifier.verify(text, TestFixtures.now), text)

    @Test
    fun aValidCertificateIsGreenWithWhatToCompareWithTheIdCard() {
        val screen = screenFor(TestFixtures.certificateText)
        assertEquals(Tone.GREEN, screen.tone)
        assertEquals(Bilingual("有效证书，已核验", "valid certificate, verified"), screen.title)
        assertEquals(emptyList(), screen.reasons)
        val holder = screen.holder!!
        assertEquals(true, holder.verified)
        assertEquals(true, holder.authentic)
        assertEquals("张建国", holder.name)
        assertEquals(Bilingual("男", "Male"), holder.sex)
        assertEquals("3201**********123X", holder.idNumber)
        assertEquals("T3201**********123X", holder.certificateNumber)
        assertEquals("特种作业操作证 · 高压电工作业", holder.certificate.zh)
        assertEquals("2024-06-01 – 2030-05-31", holder.validity)
        assertEquals("2027-06-01", holder.reviewDue)
        assertEquals("江苏省应急管理厅", screen.issuer?.zh)
        assertNull(screen.scannedText)
    }

    @Test
    fun aRevokedCertificateIsRedWithItsReasonInBothLanguages() {
        verifier.installRevocationList(TestFixtures.bytes("revocation-list-2.cose"))
        val verdict = verifier.verify(TestFixtures.certificateText, TestFixtures.now)
        val screen = verdictScreen(verdict, TestFixtures.certificateText)
        assertEquals(Tone.RED, screen.tone)
        // Genuine but revoked: not verified, yet not shown as a forgery either.
        assertEquals(Bilingual("真实证书，但已被吊销", "genuine certificate, but revoked"), screen.title)
        assertEquals(listOf(Bilingual(verdict.reasons[0].messageZh, verdict.reasons[0].messageEn)), screen.reasons)
        assertEquals("revoked", verdict.reasons.single().code)
        assertEquals("张建国", screen.holder?.name)
        assertEquals(false, screen.holder?.verified)
        assertEquals(true, screen.holder?.authentic)
    }

    @Test
    fun aLookAlikeLinkIsRedAndShownAsItIs() {
        val screen = screenFor(TestFixtures.lookAlikeLink)
        assertEquals(Tone.RED, screen.tone)
        assertEquals("not a certificate: probably a fake verification website", screen.title.en)
        assertContains(screen.reasons.single().en, "ajj.jiangsu.gov.cn")
        assertEquals(TestFixtures.lookAlikeLink, screen.scannedText)
        assertNull(screen.holder)
        assertNull(screen.issuer)
    }

    @Test
    fun scanOutcomesMapToScreenStates() {
        val text = TestFixtures.certificateText
        val code = ScannedCode(text, listOf(Point(1f, 2f)), null, verifier.verify(text, TestFixtures.now))
        val result = assertIs<ScreenState.Result>(ScreenState.of(ScanOutcome.Found(code, listOf(code))))
        assertEquals(Tone.GREEN, result.screen.tone)
        val error = assertIs<ScreenState.Error>(ScreenState.of(ScanOutcome.Failed(CertqrException.BadFrame("stride"))))
        assertEquals("The camera image could not be read", error.message.en)
    }
}
