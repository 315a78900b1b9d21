package org.certqr.demo.core

import org.certqr.CertqrException
import org.certqr.Sex
import org.certqr.Verdict
import org.certqr.VerdictStatus

/** A text in Chinese and English; the screens show both. */
data class Bilingual(val zh: String, val en: String)

/** The colour of the verdict screen. */
enum class Tone {
    /** Every check passed. */
    GREEN,

    /** Not valid, or not a certificate. */
    RED,
}

/**
 * What the verdict screen shows, ready to display: every string is final, nothing is
 * left for the UI to decide but layout.
 */
data class VerdictScreen(
    /** Green only for a valid certificate. */
    val tone: Tone,
    /** The headline: the verdict's one-line summary (有效证书，已核验; 真实证书，但已过期;
     *  无效：不能证明是真实证书…), so a genuine but lapsed card reads apart from a forged one. */
    val title: Bilingual,
    /** Why it is not valid, most important first (empty when valid). */
    val reasons: List<Bilingual>,
    /** Warnings, shown on a valid verdict too. */
    val warnings: List<Bilingual>,
    /** The certificate's details, when they could be read. */
    val holder: HolderDetails?,
    /** The issuing authority, when the signature verified. */
    val issuer: Bilingual?,
    /** The scanned text when it is not a certificate (a web link), to show as it is. */
    val scannedText: String?,
)

/** The holder and certificate details to compare with the holder's identity card. */
data class HolderDetails(
    /** True only for a valid verdict. */
    val verified: Boolean,
    /** False when no trusted signature covers them: the screen says so above them. A
     *  genuine card that expired or was revoked is authentic but not verified. */
    val authentic: Boolean,
    val name: String,
    val sex: Bilingual,
    /** Masked (`3201**********123X`): compare the visible digits with the ID card. */
    val idNumber: String,
    val certificateNumber: String,
    /** Family and item, e.g. 特种作业操作证 · 高压电工作业. */
    val certificate: Bilingual,
    val firstIssued: String,
    /** `2024-06-01 – 2030-05-31`. */
    val validity: String,
    /** The next review date, when the certificate has one. */
    val reviewDue: String?,
)

/** What the app shows: the camera, a verdict, or an error. */
sealed interface ScreenState {
    /** The camera preview, scanning. */
    data object Scanning : ScreenState

    /** A verdict, until the user taps "scan again". */
    data class Result(val screen: VerdictScreen) : ScreenState

    /** The frame could not be scanned. */
    data class Error(val message: Bilingual) : ScreenState

    companion object {
        /** The screen for what the scan loop reported. */
        fun of(outcome: ScanOutcome): ScreenState = when (outcome) {
            is ScanOutcome.Found -> Result(verdictScreen(outcome.chosen.verdict, outcome.chosen.text))
            is ScanOutcome.Failed -> Error(errorMessage(outcome.error))
        }
    }
}

/** The verdict screen for [verdict]; [text] is what the code said. */
fun verdictScreen(verdict: Verdict, text: String): VerdictScreen {
    val title = Bilingual(verdict.summaryZh, verdict.summaryEn)
    val holder = verdict.certificate?.let { fields ->
        val item = fields.itemNameZh?.let { zh -> Bilingual(zh, fields.itemNameEn ?: fields.item) }
            ?: Bilingual(fields.item, fields.item)
        HolderDetails(
            verified = fields.verified,
            authentic = fields.authentic,
            name = fields.holderName,
            sex = when (fields.sex) {
                Sex.MALE -> Bilingual("男", "Male")
                Sex.FEMALE -> Bilingual("女", "Female")
            },
            idNumber = fields.idNumber,
            certificateNumber = fields.number,
            certificate = Bilingual("${fields.familyNameZh} · ${item.zh}", "${fields.familyNameEn} · ${item.en}"),
            firstIssued = fields.firstIssued,
            validity = "${fields.validFrom} – ${fields.validUntil}",
            reviewDue = fields.reviewDue,
        )
    }
    return VerdictScreen(
        tone = if (verdict.status == VerdictStatus.VALID) Tone.GREEN else Tone.RED,
        title = title,
        reasons = verdict.reasons.map { Bilingual(it.messageZh, it.messageEn) },
        warnings = verdict.warnings.map { Bilingual(it.messageZh, it.messageEn) },
        holder = holder,
        issuer = verdict.issuer?.let { Bilingual(it.nameZh, it.nameEn) },
        scannedText = if (verdict.status == VerdictStatus.NOT_A_CERTIFICATE) text else null,
    )
}

/** The message for a frame that could not be scanned. */
fun errorMessage(error: CertqrException): Bilingual = when (error) {
    is CertqrException.BadFrame, is CertqrException.ImageTooLarge ->
        Bilingual("无法读取相机画面", "The camera image could not be read")
    else -> Bilingual("扫描出错", "Scanning failed")
}
