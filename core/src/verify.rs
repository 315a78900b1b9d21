//! Verifying QR text: from the scanned string to a verdict that says exactly why.
//!
//! Stages, in order: prefix → decode → COSE → key lookup → signature → claims → scope →
//! dates → revocation. A stage that fails stops the ones that depend on it; from the
//! claims on, every failing check is reported. The clock is an argument: nothing here
//! reads the time.
//!
//! This module is the pipeline ([`Verifier`]); the verdict it gives is in
//! [`verdict`] ([`Verdict`], [`Status`], [`CertificateView`]), the reasons and
//! warnings with their typed facts in [`reason`], and their Chinese and English
//! messages in `messages`.

mod messages;
pub mod reason;
pub mod verdict;

use time::{Date, Duration, OffsetDateTime};

pub use reason::{Details, Reason, Warning};
pub use verdict::{CertificateView, IssuerView, Status, Verdict};

use crate::certificate::{china_date, Certificate};
use crate::cose::{self, DocumentKind};
use crate::keys::{Algorithm, KeyId, PublicKey};
use crate::revocation::{RevocationDelta, RevocationError, RevocationList};
use crate::state::{self, VerifierState};
use crate::text::{self, TextError};
use crate::trust::{KeyStatus, TrustList, TrustListError, TrustedIssuer};
use crate::website;

/// Days before expiry or a review from which a valid verdict carries a warning.
pub const SOON_DAYS: i64 = 30;

/// Settings of a [`Verifier`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifierOptions {
    /// How long past its expiry a trust list still verifies (with a warning). Default 30 days.
    pub trust_list_grace: Duration,
    /// How long past its expiry a revocation list is still used (with a warning); after
    /// that every verdict fails with [`Reason::RevocationListExpired`]. Default 7 days:
    /// shorter than the trust list's, since a revocation list is worth its freshness.
    pub revocation_list_grace: Duration,
    /// Show the full identity card number instead of the masked form. Default false.
    pub show_full_id_number: bool,
}

impl Default for VerifierOptions {
    fn default() -> Self {
        VerifierOptions {
            trust_list_grace: Duration::days(30),
            revocation_list_grace: Duration::days(7),
            show_full_id_number: false,
        }
    }
}

/// Verifies certificates against pinned root keys and the trust list they sign.
#[derive(Debug, Clone)]
pub struct Verifier {
    roots: Vec<PublicKey>,
    trust_list: Option<TrustList>,
    revocation_list: Option<RevocationList>,
    options: VerifierOptions,
    state: VerifierState,
}

/// Where the instant a verdict is judged at comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Clock {
    /// The device clock: never earlier than the trusted time.
    Device,
    /// An instant chosen for an investigation, judged at exactly.
    AsOf,
}

impl Verifier {
    /// A verifier that trusts trust lists signed by any of `roots`, with default options.
    pub fn new(roots: Vec<PublicKey>) -> Verifier {
        Verifier::with_options(roots, VerifierOptions::default())
    }

    /// A verifier with explicit options.
    pub fn with_options(roots: Vec<PublicKey>, options: VerifierOptions) -> Verifier {
        Verifier::with_state(roots, options, VerifierState::new())
    }

    /// A verifier that carries on from `state`, as saved by an earlier run
    /// ([`Verifier::state`]): lists older than the state's are refused even before any
    /// list is installed, and dates are never judged before the state's trusted time.
    pub fn with_state(
        roots: Vec<PublicKey>,
        options: VerifierOptions,
        state: VerifierState,
    ) -> Verifier {
        Verifier {
            roots,
            trust_list: None,
            revocation_list: None,
            options,
            state,
        }
    }

    /// What to save for the next run: the highest list sequences installed and the
    /// latest signed time seen (including what the state given to
    /// [`Verifier::with_state`] held).
    pub fn state(&self) -> &VerifierState {
        &self.state
    }

    /// Install a signed trust list, replacing the current one. Refused unless a pinned
    /// root signed it and its sequence is not lower than the installed list's, nor than
    /// the highest sequence the verifier's state records (rollback across restarts); a
    /// list of that sequence must be the one installed before (same digest, also across
    /// restarts). The list's sequence, issue time and digest are recorded in the state.
    pub fn install_trust_list(&mut self, signed: &[u8]) -> Result<&TrustList, TrustListError> {
        let list = TrustList::from_signed(signed, &self.roots)?;
        let digest = state::list_digest(signed);
        self.state.check_trust_list(list.sequence, &digest)?;
        if let Some(installed) = &self.trust_list {
            if list.sequence < installed.sequence {
                return Err(TrustListError::Rollback {
                    installed: installed.sequence,
                    offered: list.sequence,
                });
            }
            if list.sequence == installed.sequence && list != *installed {
                return Err(TrustListError::ConflictingSequence {
                    sequence: list.sequence,
                });
            }
        }
        self.state
            .record_trust_list(list.sequence, list.issued_at, digest);
        Ok(self.trust_list.insert(list))
    }

    /// The installed trust list.
    pub fn trust_list(&self) -> Option<&TrustList> {
        self.trust_list.as_ref()
    }

    /// Install a signed full revocation list, replacing the current one. Refused unless a
    /// pinned root signed it (as for a trust list) and its sequence is not lower than the
    /// installed list's, nor than the highest the verifier's state records; a list of the
    /// same sequence must have the same content. Its sequence and issue time are
    /// recorded in the state.
    ///
    /// Without a revocation list, verification proceeds without checking revocation: the
    /// app or command decides whether to require one.
    pub fn install_revocation_list(
        &mut self,
        signed: &[u8],
    ) -> Result<&RevocationList, RevocationError> {
        self.install_revocation_chain(signed, &[])
    }

    /// Install a signed full revocation list with the signed deltas applied to it since,
    /// in order, as one step, as a store saved them: the checks of
    /// [`Verifier::install_revocation_list`] apply to the list the chain ends at (so a
    /// state that recorded the last delta's sequence accepts it), with the full list's
    /// digest only when there are no deltas. A delta below the chain's sequence is
    /// skipped (left over from an earlier list); any other that does not apply refuses
    /// the whole chain, and nothing changes.
    pub fn install_revocation_chain(
        &mut self,
        signed: &[u8],
        deltas: &[Vec<u8>],
    ) -> Result<&RevocationList, RevocationError> {
        let mut list = RevocationList::from_signed(signed, &self.roots)?;
        let mut digest = Some(state::list_digest(signed));
        for delta in deltas {
            let delta = RevocationDelta::from_signed(delta, &self.roots)?;
            if delta.base_sequence < list.sequence {
                continue;
            }
            list = list.apply(&delta)?;
            digest = None;
        }
        self.state
            .check_revocation_list(list.sequence, digest.as_ref())?;
        if let Some(installed) = &self.revocation_list {
            installed.check_update(&list)?;
        }
        self.state
            .record_revocation_list(list.sequence, list.issued_at, digest);
        Ok(self.revocation_list.insert(list))
    }

    /// Apply a signed revocation delta to the installed list. Refused unless a pinned root
    /// signed it and it goes from the installed list's sequence to the next; on refusal
    /// the installed list stays as it was.
    pub fn apply_revocation_delta(
        &mut self,
        signed: &[u8],
    ) -> Result<&RevocationList, RevocationError> {
        let delta = RevocationDelta::from_signed(signed, &self.roots)?;
        let installed = self
            .revocation_list
            .as_ref()
            .ok_or(RevocationError::NoListInstalled)?;
        let list = installed.apply(&delta)?;
        // No digest: a delta is not a full list (see `crate::state`).
        self.state
            .record_revocation_list(list.sequence, list.issued_at, None);
        Ok(self.revocation_list.insert(list))
    }

    /// The installed revocation list: its `sequence` and `issued_at` are what to keep
    /// between runs.
    pub fn revocation_list(&self) -> Option<&RevocationList> {
        self.revocation_list.as_ref()
    }

    /// Verify scanned QR text at instant `now`, the device clock's reading (see
    /// [`Verifier::verify_document`] for a clock behind the trusted time).
    pub fn verify(&self, text: &str, now: OffsetDateTime) -> Verdict {
        self.verify_text(text, now, Clock::Device)
    }

    /// Verify scanned QR text as of the instant `at`, for investigations ("was this
    /// certificate valid on 1 June?"): every date is judged at exactly `at`, also when
    /// it is earlier than the trusted time, and no
    /// [`Warning::ClockBehindTrustedData`] is given.
    ///
    /// Never pass a device clock's reading here: a clock set back would then make an
    /// expired certificate valid again, which [`Verifier::verify`] prevents. The
    /// verifier's state is not changed by either.
    pub fn verify_as_of(&self, text: &str, at: OffsetDateTime) -> Verdict {
        self.verify_text(text, at, Clock::AsOf)
    }

    fn verify_text(&self, text: &str, now: OffsetDateTime, clock: Clock) -> Verdict {
        let verdict = Verdict::new();
        let bytes = match text::decode(text) {
            Ok(bytes) => bytes,
            Err(TextError::NotCertqr) => {
                return verdict.with_reason(match (website::link_host(text), &self.trust_list) {
                    // Official domains come only from a verified trust list.
                    (Some(domain), Some(list)) => website::classify(&domain, list).into(),
                    (Some(domain), None) => Reason::WebsiteLink { domain },
                    (None, _) => Reason::NotCertqr,
                });
            }
            Err(error) => return verdict.with_reason(Reason::MalformedText(error)),
        };
        self.judge_document(&bytes, now, clock)
    }

    /// Verify the signed document bytes (already taken out of their text form).
    ///
    /// When `now` is earlier than the state's trusted time the verdict carries
    /// [`Warning::ClockBehindTrustedData`] and every date (the trust list's expiry, the
    /// certificate's validity and review) is judged at the trusted time instead: the
    /// real time cannot be earlier than a signed issue time, so a clock set back
    /// cannot make an expired certificate valid again.
    pub fn verify_document(&self, bytes: &[u8], now: OffsetDateTime) -> Verdict {
        self.judge_document(bytes, now, Clock::Device)
    }

    /// Verify the signed document bytes as of the instant `at`: see
    /// [`Verifier::verify_as_of`].
    pub fn verify_document_as_of(&self, bytes: &[u8], at: OffsetDateTime) -> Verdict {
        self.judge_document(bytes, at, Clock::AsOf)
    }

    fn judge_document(&self, bytes: &[u8], now: OffsetDateTime, clock: Clock) -> Verdict {
        let mut verdict = Verdict::new();
        let now = match clock {
            Clock::Device => {
                if let Some(trusted_time) = self.state.clock_behind(now) {
                    verdict
                        .warnings
                        .push(Warning::ClockBehindTrustedData { trusted_time });
                }
                self.state.judging_time(now)
            }
            Clock::AsOf => now,
        };
        let message = match cose::parse(bytes) {
            Ok(message) => message,
            Err(error) => return verdict.with_reason(Reason::MalformedDocument(error)),
        };
        if message.kind() != Some(DocumentKind::Certificate) {
            return verdict.with_reason(Reason::WrongDocumentKind {
                content_type: message.content_type,
            });
        }
        let Some(algorithm) = Algorithm::from_cose_id(message.algorithm) else {
            return verdict.with_reason(Reason::UnsupportedAlgorithm {
                algorithm: message.algorithm,
            });
        };
        // The claims are read before the signature only to show them, marked unverified.
        let claims = Certificate::from_claims(&message.payload);
        if let Ok((certificate, _)) = &claims {
            verdict.certificate = Some(self.view(certificate));
        }
        let Some(trust_list) = &self.trust_list else {
            return verdict.with_reason(Reason::NoTrustList);
        };
        if now > trust_list.expires_at {
            // Past the end of time's range the grace cannot run out.
            let grace_end = trust_list
                .expires_at
                .checked_add(self.options.trust_list_grace);
            if grace_end.is_some_and(|end| now > end) {
                return verdict.with_reason(Reason::TrustListExpired {
                    expired_at: trust_list.expires_at,
                });
            }
            verdict.warnings.push(Warning::TrustListStale {
                expired_at: trust_list.expires_at,
            });
        }
        let candidates: Vec<&TrustedIssuer> =
            trust_list.issuers_with_key_id(message.key_id).collect();
        if candidates.is_empty() {
            return verdict.with_reason(Reason::UnknownIssuer {
                key_id: message.key_id,
            });
        }
        let same_algorithm: Vec<&TrustedIssuer> = candidates
            .into_iter()
            .filter(|issuer| issuer.public_key.algorithm() == algorithm)
            .collect();
        if same_algorithm.is_empty() {
            return verdict.with_reason(Reason::AlgorithmMismatch);
        }
        let signed_data = message.signed_data();
        let Some(issuer) = same_algorithm.into_iter().find(|issuer| {
            issuer
                .public_key
                .verify(&signed_data, &message.signature)
                .is_ok()
        }) else {
            return verdict.with_reason(Reason::BadSignature);
        };
        if issuer.status == KeyStatus::Compromised {
            return verdict.with_reason(Reason::IssuerKeyCompromised);
        }
        verdict.issuer = Some(IssuerView {
            name_zh: issuer.name_zh.clone(),
            name_en: issuer.name_en.clone(),
            region_code: issuer.region_code,
            key_id: issuer.key_id().to_hex(),
            algorithm,
        });
        let (certificate, extensions) = match claims {
            Ok(claims) => claims,
            Err(error) => return verdict.with_reason(Reason::MalformedClaims(error)),
        };
        // Signed by a trusted, uncompromised key: authentic unless a check below finds
        // otherwise (Verdict::finish weighs each reason).
        let mut view = self.view(&certificate);
        view.authentic = true;
        verdict.certificate = Some(view);
        if !extensions.is_empty() {
            verdict
                .warnings
                .push(Warning::ExtensionClaimsIgnored { keys: extensions });
        }
        self.check_revocation(issuer.key_id(), &certificate, now, &mut verdict);
        verdict
            .reasons
            .extend(check_issuer_key(issuer, &certificate));
        if let Err(error) = certificate.check() {
            verdict.reasons.push(Reason::InvalidClaims(error));
        }
        if !issuer.may_sign(certificate.family, &certificate.item) {
            verdict.reasons.push(Reason::OutOfScope {
                family: certificate.family,
                item: certificate.item.clone(),
            });
        }
        let today = china_date(now);
        check_dates(&certificate, today, &mut verdict);
        verdict.finish()
    }

    fn view(&self, certificate: &Certificate) -> CertificateView {
        CertificateView::unverified(certificate, self.options.show_full_id_number)
    }

    /// Revocation, once the signature verified: `revoked` when listed (also from a
    /// list past its grace period: what it holds stays revoked), and the list's age,
    /// like the trust list's. Without an installed list nothing is checked, and when the
    /// state records one, [`Warning::RevocationNotChecked`] says so.
    fn check_revocation(
        &self,
        issuer_key_id: KeyId,
        certificate: &Certificate,
        now: OffsetDateTime,
        verdict: &mut Verdict,
    ) {
        let Some(list) = &self.revocation_list else {
            if let Some(sequence) = self.state.revocation_list_sequence() {
                verdict
                    .warnings
                    .push(Warning::RevocationNotChecked { sequence });
            }
            return;
        };
        if list.is_revoked(issuer_key_id, certificate) {
            verdict.reasons.push(Reason::Revoked);
        }
        if now > list.expires_at {
            let expired_at = list.expires_at;
            // A deadline past the year 9999 is never reached.
            let deadline = expired_at.checked_add(self.options.revocation_list_grace);
            if deadline.is_some_and(|deadline| now > deadline) {
                verdict
                    .reasons
                    .push(Reason::RevocationListExpired { expired_at });
            } else {
                verdict
                    .warnings
                    .push(Warning::RevocationListStale { expired_at });
            }
        }
    }
}

/// Status and validity window of the issuer's key, judged at the certificate's
/// valid-from date (the day it was issued).
fn check_issuer_key(issuer: &TrustedIssuer, certificate: &Certificate) -> Option<Reason> {
    let signed_on = certificate.valid_from;
    if let KeyStatus::Retired { since } = issuer.status {
        if signed_on >= since {
            return Some(Reason::IssuerKeyRetired { since });
        }
    }
    if signed_on < issuer.key_valid_from || signed_on > issuer.key_valid_until {
        return Some(Reason::OutsideKeyValidity {
            key_valid_from: issuer.key_valid_from,
            key_valid_until: issuer.key_valid_until,
        });
    }
    None
}

fn check_dates(certificate: &Certificate, today: Date, verdict: &mut Verdict) {
    if today < certificate.valid_from {
        verdict.reasons.push(Reason::NotYetValid {
            valid_from: certificate.valid_from,
        });
    }
    if today > certificate.valid_until {
        verdict.reasons.push(Reason::Expired {
            valid_until: certificate.valid_until,
        });
    } else if (certificate.valid_until - today).whole_days() < SOON_DAYS {
        verdict.warnings.push(Warning::ExpiresSoon {
            valid_until: certificate.valid_until,
        });
    }
    if let Some(review_due) = certificate.review_due {
        if today > review_due {
            verdict.reasons.push(Reason::ReviewOverdue { review_due });
        } else if (review_due - today).whole_days() < SOON_DAYS {
            verdict.warnings.push(Warning::ReviewDueSoon { review_due });
        }
    }
}

#[cfg(test)]
mod tests;
