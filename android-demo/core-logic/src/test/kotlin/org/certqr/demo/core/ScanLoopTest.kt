package org.certqr.demo.core

import java.nio.ByteBuffer
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import kotlin.test.AfterTest
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertTrue
import org.certqr.Point
import org.certqr.ScannedCode
import org.certqr.Verdict
import org.certqr.VerdictStatus
import org.certqr.Verifier
import org.certqr.VerifierInterface

class ScanLoopTest {
    private val verifier = Verifier(listOf(TestFixtures.rootPem), TestFixtures.stateDirectory()).also {
        it.installTrustList(TestFixtures.bytes("trust-list-1.cose"))
    }
    private val outcomes = mutableListOf<ScanOutcome>()

    /** Runs what the loop hands it when the test says so. */
    private val pending = ArrayDeque<Runnable>()

    private fun runPending() {
        while (pending.isNotEmpty()) pending.removeFirst().run()
    }

    private val loop = ScanLoop(verifier, { pending.addLast(it) }, { TestFixtures.now }) { outcomes += it }

    private fun frameWithCode() = LumaFrame.copyOf(
        ByteBuffer.wrap(TestFixtures.frameLuma),
        TestFixtures.frameWidth,
        TestFixtures.frameHeight,
        TestFixtures.frameRowStride,
        1,
    )

    private fun frameWithoutCode() = LumaFrame(ByteArray(320 * 240) { (it % 251).toByte() }, 320, 240, 320)

    @AfterTest
    fun close() = verifier.close()

    @Test
    fun framesAreSkippedUncopiedWhileOneIsScannedAndAfterAVerdictUntilReset() {
        assertTrue(loop.offer(::frameWithCode))
        assertEquals(ScanLoop.Phase.BUSY, loop.currentPhase)
        assertFalse(loop.offer { error("a frame offered while busy must not be copied") })
        assertEquals(1, pending.size)

        runPending()
        val found = assertIs<ScanOutcome.Found>(outcomes.single())
        assertEquals(TestFixtures.certificateText, found.chosen.text)
        assertEquals(VerdictStatus.VALID, found.chosen.verdict.status)
        assertEquals(ScanLoop.Phase.STOPPED, loop.currentPhase)

        assertFalse(loop.offer { error("a frame offered after a verdict must not be copied") })
        assertEquals(listOf(1L, 2L), listOf(loop.framesScanned, loop.framesSkipped))
        loop.reset()
        assertEquals(ScanLoop.Phase.WAITING, loop.currentPhase)
        assertTrue(loop.offer(::frameWithCode))
        runPending()
        assertEquals(2, outcomes.size)
    }

    @Test
    fun aFrameWithoutACodeLetsTheNextOneIn() {
        assertTrue(loop.offer(::frameWithoutCode))
        runPending()
        assertEquals(emptyList(), outcomes)
        assertEquals(ScanLoop.Phase.WAITING, loop.currentPhase)
        loop.reset() // nothing to reset: still scanning
        assertTrue(loop.offer(::frameWithCode))
        runPending()
        assertIs<ScanOutcome.Found>(outcomes.single())
    }

    @Test
    fun aFailingCopyLeavesTheLoopWaiting() {
        val thrown = runCatching { loop.offer { LumaFrame(ByteArray(10), 10, 10, 10) } }
        assertIs<IllegalArgumentException>(thrown.exceptionOrNull())
        assertEquals(ScanLoop.Phase.WAITING, loop.currentPhase)
        assertTrue(loop.offer(::frameWithoutCode))
    }

    @Test
    fun atMostOneFrameIsInFlightWhenACameraThreadFloodsIt() {
        val inFlight = AtomicInteger()
        val mostInFlight = AtomicInteger()
        val counting = object : VerifierInterface by verifier {
            override fun scanFrame(luma: ByteBuffer, width: Int, height: Int, rowStride: Int, now: Long): List<ScannedCode> {
                mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), ::maxOf)
                try {
                    return verifier.scanFrame(luma, width, height, rowStride, now)
                } finally {
                    inFlight.decrementAndGet()
                }
            }
        }
        val scanners = Executors.newFixedThreadPool(4)
        val done = CountDownLatch(1)
        val threaded = ScanLoop(counting, scanners, { TestFixtures.now }) { done.countDown() }
        val empty = frameWithoutCode()
        val withCode = frameWithCode()
        try {
            // 200 empty frames, then frames with the code until one gives a verdict.
            repeat(200) { threaded.offer { empty } }
            val deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30)
            while (!done.await(1, TimeUnit.MILLISECONDS)) {
                check(System.nanoTime() < deadline) { "no verdict in 30 s" }
                threaded.offer { withCode }
            }
        } finally {
            scanners.shutdown()
        }
        assertTrue(scanners.awaitTermination(10, TimeUnit.SECONDS))
        assertEquals(1, mostInFlight.get())
        assertEquals(ScanLoop.Phase.STOPPED, threaded.currentPhase)
        assertTrue(threaded.framesSkipped > 0, "no frame was skipped")
    }

    @Test
    fun aCertificateIsChosenOverAWebLinkInTheSameFrame() {
        val link = verifier.verify(TestFixtures.lookAlikeLink, TestFixtures.now)
        val certificate = verifier.verify(TestFixtures.certificateText, TestFixtures.now)
        fun code(text: String, verdict: Verdict) = ScannedCode(text, listOf(Point(0f, 0f)), null, verdict)
        val codes = listOf(code(TestFixtures.lookAlikeLink, link), code(TestFixtures.certificateText, certificate))
        assertEquals(TestFixtures.certificateText, ScanLoop.choose(codes)?.text)
        assertEquals(TestFixtures.lookAlikeLink, ScanLoop.choose(codes.take(1))?.text)
        assertEquals(null, ScanLoop.choose(emptyList()))
    }
}
