import Foundation

/// A text in Chinese and English; the screens show both.
struct Bilingual: Equatable {
    let zh: String
    let en: String
}

/// What the verdict screen shows, as the Android demo's `VerdictScreen`.
struct VerdictScreen {
    enum Tone { case green, red }

    struct Holder {
        /// True only for a valid verdict.
        let verified: Bool
        /// False when no trusted signature covers the details; a genuine card that
        /// expired or was revoked is authentic but not verified.
        let authentic: Bool
        let name: String
        let sex: Bilingual
        /// Masked (`3201**********123X`): compare the visible digits with the ID card.
        let idNumber: String
        let certificateNumber: String
        let certificate: Bilingual
        let firstIssued: String
        let validity: String
        let reviewDue: String?
    }

    let tone: Tone
    let title: Bilingual
    let reasons: [Bilingual]
    let warnings: [Bilingual]
    let holder: Holder?
    let issuer: Bilingual?
    /// The scanned text when it is not a certificate (a web link).
    let scannedText: String?

    init(verdict: Verdict, text: String) {
        // The verdict's one-line summary: a genuine but lapsed card reads apart from a
        // forged one (有效证书，已核验; 真实证书，但已过期; 无效：不能证明是真实证书…).
        title = Bilingual(zh: verdict.summaryZh, en: verdict.summaryEn)
        tone = verdict.status == .valid ? .green : .red
        reasons = verdict.reasons.map { Bilingual(zh: $0.messageZh, en: $0.messageEn) }
        warnings = verdict.warnings.map { Bilingual(zh: $0.messageZh, en: $0.messageEn) }
        holder = verdict.certificate.map { fields in
            let item = Bilingual(zh: fields.itemNameZh ?? fields.item, en: fields.itemNameEn ?? fields.item)
            return Holder(
                verified: fields.verified,
                authentic: fields.authentic,
                name: fields.holderName,
                sex: fields.sex == .male ? Bilingual(zh: "男", en: "Male") : Bilingual(zh: "女", en: "Female"),
                idNumber: fields.idNumber,
                certificateNumber: fields.number,
                certificate: Bilingual(zh: "\(fields.familyNameZh) · \(item.zh)", en: "\(fields.familyNameEn) · \(item.en)"),
                firstIssued: fields.firstIssued,
                validity: "\(fields.validFrom) – \(fields.validUntil)",
                reviewDue: fields.reviewDue)
        }
        issuer = verdict.issuer.map { Bilingual(zh: $0.nameZh, en: $0.nameEn) }
        scannedText = verdict.status == .notACertificate ? text : nil
    }
}

/// What the app shows.
enum ScreenState {
    case starting
    case fatal(Bilingual)
    case scanning
    case result(VerdictScreen)
    case error(Bilingual)

    init(_ outcome: ScanOutcome) {
        switch outcome {
        case let .found(chosen, _):
            self = .result(VerdictScreen(verdict: chosen.verdict, text: chosen.text))
        case let .failed(error):
            switch error {
            case .BadFrame, .ImageTooLarge:
                self = .error(Bilingual(zh: "无法读取相机画面", en: "The camera image could not be read"))
            default:
                self = .error(Bilingual(zh: "扫描出错", en: "Scanning failed"))
            }
        }
    }
}
