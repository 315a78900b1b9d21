package certqr.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.Test;
import org.certqr.CertqrException;
import org.certqr.ListInfo;
import org.certqr.LumaPlaneKt;
import org.certqr.ScannedCode;
import org.certqr.Verdict;
import org.certqr.VerdictStatus;
import org.certqr.Verifier;

/**
 * The Kotlin binding called from Java (javac): every call here must compile to a plain
 * JVM name (no unsigned types, whose Kotlin functions get mangled names), and the
 * exceptions must be declared (@Throws) for a Java catch of CertqrException to compile.
 * The fixtures come through the Kotlin tests' Fixtures object.
 */
public class JavaBindingTest {
    private static final Fixtures FIXTURES = Fixtures.INSTANCE;

    private static Verifier open() throws CertqrException {
        return Verifier.Companion.open(List.of(FIXTURES.getRootPem()), FIXTURES.stateDirectory());
    }

    @Test
    public void verifiesInstallsAndScansFromJava() throws CertqrException {
        try (Verifier verifier = open()) {
            ListInfo installed = verifier.installTrustList(FIXTURES.bytes("trust-list-1.cose"));
            assertEquals(1L, installed.getSequence());

            Verdict verdict = verifier.verify(FIXTURES.getCertificateText(), FIXTURES.getNow());
            assertEquals(VerdictStatus.VALID, verdict.getStatus());
            assertEquals("3201**********123X", verdict.getCertificate().getIdNumber());
            assertEquals(320000, verdict.getIssuer().getRegionCode());

            ByteBuffer luma = FIXTURES.getFrameLumaBuffer();
            int width = FIXTURES.getFrameWidth();
            int height = FIXTURES.getFrameHeight();
            int stride = FIXTURES.getFrameRowStride();
            List<ScannedCode> found = verifier.scanFrame(luma, width, height, stride, FIXTURES.getNow());
            assertEquals(1, found.size());
            assertEquals(FIXTURES.getCertificateText(), found.get(0).getText());
            assertEquals(VerdictStatus.VALID, found.get(0).getVerdict().getStatus());

            // The wrapper shipped with the binding, as Java sees a Kotlin extension.
            List<ScannedCode> wrapped =
                    LumaPlaneKt.scanLumaPlane(verifier, luma, width, height, stride, FIXTURES.getNow());
            assertEquals(found, wrapped);
        }
    }

    @Test
    public void catchesTheBindingsExceptions() throws CertqrException {
        try {
            Verifier.Companion.open(List.of("not a key"), FIXTURES.stateDirectory());
            fail("a bad root key was accepted");
        } catch (CertqrException.InvalidKey expected) {
            assertTrue(expected.getMessage(), expected.getMessage().startsWith("invalid key"));
        }
        try (Verifier verifier = open()) {
            try {
                verifier.scanFrame(ByteBuffer.allocateDirect(100), -1, 10, 10, FIXTURES.getNow());
                fail("a negative width was accepted");
            } catch (CertqrException.BadFrame expected) {
                assertTrue(expected.getMessage(), expected.getMessage().contains("width -1 is negative"));
            }
            try {
                verifier.installTrustList("not a trust list".getBytes());
                fail("a malformed trust list was installed");
            } catch (CertqrException error) {
                assertTrue(error.toString(), error instanceof CertqrException.InvalidTrustList);
            }
        }
    }
}
