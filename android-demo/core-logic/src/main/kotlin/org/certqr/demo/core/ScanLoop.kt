package org.certqr.demo.core

import java.util.concurrent.Executor
import java.util.concurrent.RejectedExecutionException
import java.util.concurrent.atomic.AtomicLong
import java.util.concurrent.atomic.AtomicReference
import org.certqr.CertqrException
import org.certqr.ScannedCode
import org.certqr.VerdictStatus
import org.certqr.VerifierInterface

/** What one scan that ended the loop found. */
sealed interface ScanOutcome {
    /** One or more codes were found; [chosen] is the one to show (see [ScanLoop.choose]). */
    data class Found(val chosen: ScannedCode, val all: List<ScannedCode>) : ScanOutcome

    /** The frame could not be scanned (a bad frame or an image too large). */
    data class Failed(val error: CertqrException) : ScanOutcome
}

/**
 * The camera's scan loop: camera frames are [offer]ed as they come; at most one is
 * scanned at a time (on [executor], never the caller's thread), frames that come while
 * one is being scanned are skipped without being copied, and the first frame with a code
 * in it stops the loop and is reported to [onOutcome] until the user calls [reset].
 *
 * [clock] gives the time in Unix seconds, read once per scan. Thread-safe: CameraX may
 * offer frames from its analyzer thread while the UI thread resets.
 */
class ScanLoop(
    private val verifier: VerifierInterface,
    private val executor: Executor,
    private val clock: () -> Long,
    private val onOutcome: (ScanOutcome) -> Unit,
) {
    /** Where the loop is. */
    enum class Phase {
        /** Waiting for the next frame. */
        WAITING,

        /** Scanning a frame; new frames are skipped. */
        BUSY,

        /** A frame had a code: stopped until [reset]. */
        STOPPED,
    }

    private val phase = AtomicReference(Phase.WAITING)
    private val scanned = AtomicLong()
    private val skipped = AtomicLong()

    /** The current phase. */
    val currentPhase: Phase get() = phase.get()

    /** Frames scanned so far. */
    val framesScanned: Long get() = scanned.get()

    /** Frames skipped so far, because one was being scanned or the loop had stopped. */
    val framesSkipped: Long get() = skipped.get()

    /**
     * Offers a frame; [frame] is called (to copy the camera's buffer) only when the frame
     * will be scanned, on the caller's thread, before this returns. Returns whether it
     * was taken.
     */
    fun offer(frame: () -> LumaFrame): Boolean {
        if (!phase.compareAndSet(Phase.WAITING, Phase.BUSY)) {
            skipped.incrementAndGet()
            return false
        }
        val copy = try {
            frame()
        } catch (error: RuntimeException) {
            phase.set(Phase.WAITING)
            throw error
        }
        try {
            executor.execute { scan(copy) }
        } catch (error: RejectedExecutionException) {
            phase.set(Phase.WAITING)
            throw error
        }
        return true
    }

    /** Starts scanning again after a verdict; does nothing while scanning. */
    fun reset() {
        phase.compareAndSet(Phase.STOPPED, Phase.WAITING)
    }

    private fun scan(frame: LumaFrame) {
        val outcome = try {
            val codes = verifier.scanFrame(
                frame.luma,
                frame.width,
                frame.height,
                frame.rowStride,
                clock(),
            )
            scanned.incrementAndGet()
            choose(codes)?.let { ScanOutcome.Found(it, codes) }
        } catch (error: CertqrException) {
            scanned.incrementAndGet()
            ScanOutcome.Failed(error)
        }
        if (outcome == null) {
            phase.set(Phase.WAITING)
        } else {
            phase.set(Phase.STOPPED)
            onOutcome(outcome)
        }
    }

    companion object {
        /**
         * The code to show when a frame has several: the first that claims to be a
         * certificate (valid or not), else the first one (a web link, other text).
         */
        fun choose(codes: List<ScannedCode>): ScannedCode? =
            codes.firstOrNull { it.verdict.status != VerdictStatus.NOT_A_CERTIFICATE } ?: codes.firstOrNull()
    }
}
