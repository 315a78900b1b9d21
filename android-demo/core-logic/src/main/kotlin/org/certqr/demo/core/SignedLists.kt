package org.certqr.demo.core

import java.io.InputStream
import java.time.Instant
import java.time.ZoneOffset
import org.certqr.CertqrException
import org.certqr.ListInfo
import org.certqr.Verifier

/** The two signed lists a verifier keeps. */
enum class ListKind(val label: Bilingual) {
    /** The trust list (the issuing authorities' keys). */
    TRUST_LIST(Bilingual("信任列表", "trust list")),

    /** The revocation list. */
    REVOCATION_LIST(Bilingual("吊销列表", "revocation list")),
}

/** How installing a list from a file went. */
sealed interface ListUpdate {
    /** Which list. */
    val kind: ListKind

    /** Installed; [previous] is the one it replaced. */
    data class Installed(override val kind: ListKind, val installed: ListInfo, val previous: ListInfo?) : ListUpdate

    /** Not installed, and the installed list stays: [why] for the user. */
    data class Refused(override val kind: ListKind, val why: Bilingual) : ListUpdate

    /** The message to show. */
    fun message(): Bilingual = when (this) {
        is Installed -> {
            val issued = chinaDate(installed.issuedAt)
            val expires = chinaDate(installed.expiresAt)
            Bilingual(
                "已安装${kind.label.zh}（序号 ${installed.sequence}，${issued} 签发，${expires} 到期）",
                "Installed the ${kind.label.en}: sequence ${installed.sequence}, issued $issued, expires $expires",
            )
        }
        is Refused -> Bilingual("未安装${kind.label.zh}：${why.zh}", "The ${kind.label.en} was not installed: ${why.en}")
    }
}

/**
 * The app's verifier and its signed lists: opened with the pinned root keys and the
 * trust list shipped in the app, updated from files the user picks.
 */
class SignedLists(val verifier: Verifier) {
    /** The installed list of [kind], if any. */
    fun installed(kind: ListKind): ListInfo? = when (kind) {
        ListKind.TRUST_LIST -> verifier.trustList()
        ListKind.REVOCATION_LIST -> verifier.revocationList()
    }

    /**
     * Installs a list of [kind] read from [file] (the system file picker's stream), at
     * most [MAX_LIST_BYTES]. Every refusal leaves the installed list as it was.
     */
    fun update(kind: ListKind, file: InputStream): ListUpdate {
        val bytes = readAtMost(file, MAX_LIST_BYTES)
            ?: return ListUpdate.Refused(kind, Bilingual("文件过大", "the file is too large"))
        val previous = installed(kind)
        return try {
            val info = when (kind) {
                ListKind.TRUST_LIST -> verifier.installTrustList(bytes)
                ListKind.REVOCATION_LIST -> verifier.installRevocationList(bytes)
            }
            ListUpdate.Installed(kind, info, previous)
        } catch (error: CertqrException) {
            ListUpdate.Refused(kind, refusal(error))
        }
    }

    companion object {
        /** The largest list file read; signed lists are far smaller. */
        const val MAX_LIST_BYTES = 1 shl 20

        /**
         * Opens the verifier in [stateDirectory] and installs [bundledTrustList] (the
         * app's asset) unless a newer list was installed from a file before, which stays.
         *
         * @throws CertqrException for a bad root key, state directory or bundled list.
         */
        fun open(rootPublicKeys: List<String>, stateDirectory: String, bundledTrustList: ByteArray): SignedLists {
            val verifier = Verifier(rootPublicKeys, stateDirectory)
            try {
                verifier.installTrustList(bundledTrustList)
            } catch (newer: CertqrException.TrustListRollback) {
                // The list installed from a file is newer than the app's: keep it.
            } catch (error: CertqrException) {
                verifier.close()
                throw error
            }
            return SignedLists(verifier)
        }

        /** Reads [input] to its end, or returns null past [limit] bytes. */
        fun readAtMost(input: InputStream, limit: Int): ByteArray? {
            // Not InputStream.readNBytes: Android has it from API 33 only.
            val out = java.io.ByteArrayOutputStream()
            val buffer = ByteArray(8192)
            while (true) {
                val read = input.read(buffer)
                if (read < 0) return out.toByteArray()
                if (out.size() + read > limit) return null
                out.write(buffer, 0, read)
            }
        }

        private fun refusal(error: CertqrException): Bilingual = when (error) {
            is CertqrException.TrustListRollback, is CertqrException.RevocationListRollback ->
                Bilingual("比已安装的列表旧", "it is older than the installed one (${error.message})")
            is CertqrException.InvalidTrustList, is CertqrException.InvalidRevocationList ->
                Bilingual("不是有效的签名列表", "it is not a validly signed list (${error.message})")
            is CertqrException.StateDirectory ->
                Bilingual("无法保存", "it could not be saved (${error.message})")
            else -> Bilingual("出错", "${error.message}")
        }

        /** A Unix time as a date in China Standard Time, `YYYY-MM-DD`. */
        fun chinaDate(unixSeconds: Long): String =
            Instant.ofEpochSecond(unixSeconds).atOffset(ZoneOffset.ofHours(8)).toLocalDate().toString()
    }
}

private fun chinaDate(unixSeconds: Long): String = SignedLists.chinaDate(unixSeconds)
