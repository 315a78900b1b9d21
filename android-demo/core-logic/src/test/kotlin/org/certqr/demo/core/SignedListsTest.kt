package org.certqr.demo.core

import java.io.ByteArrayInputStream
import kotlin.test.Test
import kotlin.test.assertContains
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertIs
import kotlin.test.assertNull
import org.certqr.CertqrException
import org.certqr.VerdictStatus

class SignedListsTest {
    private val state = TestFixtures.stateDirectory()

    private fun open(bundled: String = "trust-list-1.cose") =
        SignedLists.open(listOf(TestFixtures.rootPem), state, TestFixtures.bytes(bundled))

    private fun stream(name: String) = ByteArrayInputStream(TestFixtures.bytes(name))

    @Test
    fun theBundledListIsInstalledOnFirstStartAndAgainOnTheNext() {
        open().verifier.use { assertEquals(1L, it.trustList()?.sequence) }
        open().verifier.use { verifier ->
            assertEquals(1L, verifier.trustList()?.sequence)
            assertEquals(VerdictStatus.VALID, verifier.verify(TestFixtures.certificateText, TestFixtures.now).status)
        }
    }

    @Test
    fun aNewerListFromAFileIsInstalledAndKeptOverTheBundledOne() {
        val lists = open()
        val update = assertIs<ListUpdate.Installed>(lists.update(ListKind.TRUST_LIST, stream("trust-list-2.cose")))
        assertEquals(2L, update.installed.sequence)
        assertEquals(1L, update.previous?.sequence)
        assertContains(update.message().zh, "已安装信任列表（序号 2，")
        assertContains(update.message().en, "Installed the trust list: sequence 2, issued 20")
        lists.verifier.close()

        // The app restarts with its older bundled list: the newer one stays.
        open().verifier.use { assertEquals(2L, it.trustList()?.sequence) }
    }

    @Test
    fun refusedFilesLeaveTheInstalledListAsItWas() {
        val lists = open()
        val forged = assertIs<ListUpdate.Refused>(lists.update(ListKind.TRUST_LIST, stream("trust-list-forged.cose")))
        assertEquals("未安装信任列表：不是有效的签名列表", forged.message().zh)
        lists.update(ListKind.TRUST_LIST, stream("trust-list-2.cose"))
        val older = assertIs<ListUpdate.Refused>(lists.update(ListKind.TRUST_LIST, stream("trust-list-1.cose")))
        assertContains(older.message().en, "older than the installed one")
        val huge = ByteArrayInputStream(ByteArray(SignedLists.MAX_LIST_BYTES + 1))
        val tooLarge = assertIs<ListUpdate.Refused>(lists.update(ListKind.TRUST_LIST, huge))
        assertEquals("The trust list was not installed: the file is too large", tooLarge.message().en)
        assertEquals(2L, lists.installed(ListKind.TRUST_LIST)?.sequence)
        lists.verifier.close()
    }

    @Test
    fun aRevocationListFromAFileRevokes() {
        val lists = open()
        assertNull(lists.installed(ListKind.REVOCATION_LIST))
        val update = lists.update(ListKind.REVOCATION_LIST, stream("revocation-list-2.cose"))
        assertIs<ListUpdate.Installed>(update)
        assertContains(update.message().zh, "吊销列表")
        val verdict = lists.verifier.verify(TestFixtures.certificateText, TestFixtures.now)
        assertEquals(listOf("revoked"), verdict.reasons.map { it.code })
        lists.verifier.close()
    }

    @Test
    fun aBrokenBundledListStopsTheApp() {
        assertFailsWith<CertqrException.InvalidTrustList> { open("trust-list-forged.cose") }
    }

    @Test
    fun readAtMostStopsPastTheLimit() {
        assertEquals(3, SignedLists.readAtMost(ByteArrayInputStream(ByteArray(3)), 3)?.size)
        assertNull(SignedLists.readAtMost(ByteArrayInputStream(ByteArray(4)), 3))
        assertEquals("2025-02-01", SignedLists.chinaDate(1738339200)) // 2025-01-31T16:00Z
    }
}
