package certqr.tests

import kotlin.system.exitProcess
import org.certqr.VerdictStatus
import org.certqr.Verifier

/**
 * Times the Kotlin binding's calls on the JVM, as ffi/examples/bench.rs times them from
 * Rust (run by bench.sh beside it): prints one line per call,
 * `name mean-µs-per-call iterations median-µs`, after warm-up calls that let the JIT
 * compile the binding's code.
 */
fun main() {
    val verifier = Verifier(listOf(Fixtures.rootPem), Fixtures.stateDirectory())
    verifier.installTrustList(Fixtures.bytes("trust-list-1.cose"))
    val text = Fixtures.certificateText
    val luma = Fixtures.frameLumaBuffer

    report("verify", warmUp = 5000, iterations = 5000) {
        if (verifier.verify(text, Fixtures.now).status != VerdictStatus.VALID) fail("the sample certificate did not verify")
    }
    report("scan_frame", warmUp = 10, iterations = 30) {
        val found = verifier.scanFrame(
            luma,
            Fixtures.frameWidth,
            Fixtures.frameHeight,
            Fixtures.frameRowStride,
            Fixtures.now,
        )
        if (found.size != 1) fail("${found.size} codes found in the frame, not 1")
    }
    verifier.close()
}

private fun report(name: String, warmUp: Int, iterations: Int, call: () -> Unit) {
    repeat(warmUp) { call() }
    val nanos = LongArray(iterations)
    for (i in 0 until iterations) {
        val start = System.nanoTime()
        call()
        nanos[i] = System.nanoTime() - start
    }
    nanos.sort()
    val median = if (iterations % 2 == 1) nanos[iterations / 2].toDouble() else (nanos[iterations / 2 - 1] + nanos[iterations / 2]) / 2.0
    println("%s %.2f %d %.2f".format(name, nanos.average() / 1e3, iterations, median / 1e3))
}

private fun fail(message: String): Nothing {
    System.err.println(message)
    exitProcess(1)
}
