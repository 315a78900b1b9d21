import CoreVideo
import Foundation

/// A camera frame's luma (Y) plane as `Verifier.scanFrame` takes it.
struct LumaFrame {
    let luma: Data
    let width: Int32
    let height: Int32
    let rowStride: Int32

    /// Copies plane 0 (Y) of a `kCVPixelFormatType_420YpCbCr8BiPlanarFullRange` buffer,
    /// padding and all; `bytesPerRow` is the row stride. Nil for another format, or sizes
    /// beyond `Int32` (the binding's sizes are signed).
    init?(pixelBuffer: CVPixelBuffer) {
        let format = CVPixelBufferGetPixelFormatType(pixelBuffer)
        guard format == kCVPixelFormatType_420YpCbCr8BiPlanarFullRange
            || format == kCVPixelFormatType_420YpCbCr8BiPlanarVideoRange else { return nil }
        CVPixelBufferLockBaseAddress(pixelBuffer, .readOnly)
        defer { CVPixelBufferUnlockBaseAddress(pixelBuffer, .readOnly) }
        guard let base = CVPixelBufferGetBaseAddressOfPlane(pixelBuffer, 0) else { return nil }
        let width = CVPixelBufferGetWidthOfPlane(pixelBuffer, 0)
        let height = CVPixelBufferGetHeightOfPlane(pixelBuffer, 0)
        let bytesPerRow = CVPixelBufferGetBytesPerRowOfPlane(pixelBuffer, 0)
        guard let signedWidth = Int32(exactly: width), let signedHeight = Int32(exactly: height),
              let signedStride = Int32(exactly: bytesPerRow) else { return nil }
        self.luma = Data(bytes: base, count: bytesPerRow * height)
        self.width = signedWidth
        self.height = signedHeight
        self.rowStride = signedStride
    }
}

/// What one scan that ended the loop found.
enum ScanOutcome {
    /// One or more codes; `chosen` is the one to show.
    case found(chosen: ScannedCode, all: [ScannedCode])
    /// The frame could not be scanned.
    case failed(CertqrError)
}

/// The camera's scan loop, as the Android demo's `ScanLoop`: at most one frame is
/// scanned at a time (on `queue`), frames offered meanwhile are skipped without being
/// copied, and the first frame with a code stops the loop until `reset()`.
final class ScanLoop {
    enum Phase { case waiting, busy, stopped }

    private let verifier: Verifier
    private let queue = DispatchQueue(label: "certqr.scan")
    private let onOutcome: (ScanOutcome) -> Void
    private let lock = NSLock()
    private var phase = Phase.waiting

    init(verifier: Verifier, onOutcome: @escaping (ScanOutcome) -> Void) {
        self.verifier = verifier
        self.onOutcome = onOutcome
    }

    /// Offers a frame; `frame` (the copy) is called only when it will be scanned.
    @discardableResult
    func offer(_ frame: () -> LumaFrame?) -> Bool {
        lock.lock()
        guard phase == .waiting else { lock.unlock(); return false }
        phase = .busy
        lock.unlock()
        guard let copy = frame() else { set(.waiting); return false }
        queue.async { self.scan(copy) }
        return true
    }

    /// Starts scanning again after a verdict; does nothing while scanning.
    func reset() {
        lock.lock()
        if phase == .stopped { phase = .waiting }
        lock.unlock()
    }

    private func set(_ new: Phase) {
        lock.lock()
        phase = new
        lock.unlock()
    }

    private func scan(_ frame: LumaFrame) {
        let now = Int64(Date().timeIntervalSince1970)
        let outcome: ScanOutcome?
        do {
            let codes = try verifier.scanFrame(
                luma: frame.luma, width: frame.width, height: frame.height, rowStride: frame.rowStride, now: now)
            outcome = ScanLoop.choose(codes).map { .found(chosen: $0, all: codes) }
        } catch let error as CertqrError {
            outcome = .failed(error)
        } catch {
            outcome = nil
        }
        guard let outcome else { set(.waiting); return }
        set(.stopped)
        onOutcome(outcome)
    }

    /// The first code claiming to be a certificate, else the first code.
    static func choose(_ codes: [ScannedCode]) -> ScannedCode? {
        codes.first { $0.verdict.status != .notACertificate } ?? codes.first
    }
}
