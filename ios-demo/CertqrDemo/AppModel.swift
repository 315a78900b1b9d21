import Foundation
import SwiftUI

/// Which signed list a file update is for.
enum ListKind {
    case trustList, revocationList

    var label: Bilingual {
        switch self {
        case .trustList: return Bilingual(zh: "信任列表", en: "trust list")
        case .revocationList: return Bilingual(zh: "吊销列表", en: "revocation list")
        }
    }
}

/// The verifier, the scan loop and the list updates, as the Android demo's view model and
/// `SignedLists`. The verifier is opened from the bundle's `root.pub` (the pinned root
/// keys) and `trust-list.cose` (the trust list shipped with the app), with its state in
/// Application Support.
@MainActor
final class AppModel: ObservableObject {
    @Published var screen = ScreenState.starting
    @Published var notice: Bilingual?

    /// Set once the verifier is open; read by the camera's queue.
    nonisolated(unsafe) private(set) var loop: ScanLoop?
    private var verifier: Verifier?
    private let worker = DispatchQueue(label: "certqr.worker")

    /// The largest list file read; signed lists are far smaller.
    static let maxListBytes = 1 << 20

    init() {
        worker.async { self.open() }
    }

    nonisolated private func open() {
        do {
            guard let rootURL = Bundle.main.url(forResource: "root", withExtension: "pub"),
                  let listURL = Bundle.main.url(forResource: "trust-list", withExtension: "cose") else {
                throw CocoaError(.fileNoSuchFile)
            }
            let pem = try String(contentsOf: rootURL, encoding: .utf8)
            let roots = pem.components(separatedBy: "-----END PUBLIC KEY-----")
                .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
                .filter { !$0.isEmpty }
                .map { $0 + "\n-----END PUBLIC KEY-----\n" }
            let state = try FileManager.default.url(
                for: .applicationSupportDirectory, in: .userDomainMask, appropriateFor: nil, create: true
            ).appendingPathComponent("certqr")
            let verifier = try Verifier(rootPublicKeys: roots, stateDirectory: state.path)
            do {
                _ = try verifier.installTrustList(list: try Data(contentsOf: listURL))
            } catch CertqrError.TrustListRollback {
                // A newer list was installed from a file before: keep it.
            }
            let loop = ScanLoop(verifier: verifier) { outcome in
                Task { @MainActor in self.screen = ScreenState(outcome) }
            }
            Task { @MainActor in
                self.verifier = verifier
                self.loop = loop
                self.screen = .scanning
            }
        } catch {
            let message = Bilingual(zh: "无法启动核验", en: "Cannot start verifying: \(error.localizedDescription)")
            Task { @MainActor in self.screen = .fatal(message) }
        }
    }

    /// Back to the camera after a verdict.
    func scanAgain() {
        screen = .scanning
        loop?.reset()
    }

    /// Installs a list from the file the document picker returned.
    func install(_ kind: ListKind, from url: URL) {
        guard let verifier else { return }
        worker.async {
            let notice = AppModel.update(verifier, kind, url)
            Task { @MainActor in self.notice = notice }
        }
    }

    nonisolated private static func update(_ verifier: Verifier, _ kind: ListKind, _ url: URL) -> Bilingual {
        let label = kind.label
        func refused(_ zh: String, _ en: String) -> Bilingual {
            Bilingual(zh: "未安装\(label.zh)：\(zh)", en: "The \(label.en) was not installed: \(en)")
        }
        let scoped = url.startAccessingSecurityScopedResource()
        defer { if scoped { url.stopAccessingSecurityScopedResource() } }
        guard let size = try? url.resourceValues(forKeys: [.fileSizeKey]).fileSize, size <= maxListBytes,
              let bytes = try? Data(contentsOf: url), bytes.count <= maxListBytes else {
            return refused("文件过大或无法读取", "the file is too large or unreadable")
        }
        do {
            let info = kind == .trustList
                ? try verifier.installTrustList(list: bytes)
                : try verifier.installRevocationList(list: bytes)
            let issued = chinaDate(info.issuedAt), expires = chinaDate(info.expiresAt)
            return Bilingual(
                zh: "已安装\(label.zh)（序号 \(info.sequence)，\(issued) 签发，\(expires) 到期）",
                en: "Installed the \(label.en): sequence \(info.sequence), issued \(issued), expires \(expires)")
        } catch CertqrError.TrustListRollback(let message), CertqrError.RevocationListRollback(let message) {
            return refused("比已安装的列表旧", "it is older than the installed one (\(message))")
        } catch CertqrError.InvalidTrustList(let message), CertqrError.InvalidRevocationList(let message) {
            return refused("不是有效的签名列表", "it is not a validly signed list (\(message))")
        } catch {
            return refused("出错", error.localizedDescription)
        }
    }

    /// A Unix time as a date in China Standard Time, `YYYY-MM-DD`.
    nonisolated static func chinaDate(_ unixSeconds: Int64) -> String {
        let formatter = DateFormatter()
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(unixSeconds)))
    }
}
