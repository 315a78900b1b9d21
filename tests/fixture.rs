//! The fixed world every test vector is made in: keys, trust list and instants.
//!
//! Every private key here is derived from a published label, so anyone can rebuild it:
//! these keys are for tests only and must never be trusted for anything else.

use certqr_core::catalog::Family;
use certqr_core::keys::{Algorithm, PublicKey, SigningKey};
use certqr_core::trust::{
    KeyStatus, OfficialDomain, Scope, TrustList, TrustListError, TrustedIssuer,
};
use sha2::{Digest, Sha256};
use time::macros::{date, datetime};
use time::{Date, OffsetDateTime};

/// What each seed is the SHA-256 of: this prefix, then the key's label.
pub const SEED_LABEL_PREFIX: &str = "certqr test vector key: ";

/// The instant most vectors are verified at: 1 June 2025, 10:00 in China.
pub const NOW: OffsetDateTime = datetime!(2025-06-01 10:00 +8);

/// When the fixed trust list was issued.
pub const TRUST_LIST_ISSUED_AT: OffsetDateTime = datetime!(2025-05-01 00:00 UTC);
/// When the fixed trust list expires (verifiers accept it for 30 more days, with a warning).
pub const TRUST_LIST_EXPIRES_AT: OffsetDateTime = datetime!(2025-07-30 00:00 UTC);
/// Sequence number of the fixed trust list.
pub const TRUST_LIST_SEQUENCE: u64 = 3;

/// The national platform the trust list names list-wide: the Ministry of Emergency
/// Management's special operations certificate query (特种作业操作证查询).
pub const OFFICIAL_PLATFORM: &str = "cx.mem.gov.cn";

/// When the fixed revocation list was issued.
pub const REVOCATION_LIST_ISSUED_AT: OffsetDateTime = datetime!(2025-05-15 00:00 UTC);
/// When the fixed revocation list expires (verifiers use it 7 more days, with a warning).
pub const REVOCATION_LIST_EXPIRES_AT: OffsetDateTime = datetime!(2025-08-20 00:00 UTC);
/// Sequence number of the fixed revocation list.
pub const REVOCATION_LIST_SEQUENCE: u64 = 1;

/// The day the old emergency management key was retired.
pub const RETIRED_SINCE: Date = date!(2024 - 07 - 01);

/// A test key: its label, the seed derived from it and the key.
#[derive(Debug, Clone)]
pub struct TestKey {
    /// Short name used in file names and notes ("root", "emergency", ...).
    pub label: &'static str,
    /// Who holds the key, in one sentence.
    pub role: &'static str,
    /// The key's algorithm.
    pub algorithm: Algorithm,
    /// The 32-byte seed: SHA-256 of [`SEED_LABEL_PREFIX`] and the label. For Ed25519 the
    /// RFC 8032 private key; for SM2 what `SigningKey::from_seed` turns into the private
    /// scalar (`d = 1 + (seed mod (n - 2))`).
    pub seed: [u8; 32],
    /// The signing key.
    pub key: SigningKey,
}

impl TestKey {
    fn new(label: &'static str, role: &'static str) -> TestKey {
        TestKey::with_algorithm(label, role, Algorithm::Ed25519)
    }

    fn with_algorithm(label: &'static str, role: &'static str, algorithm: Algorithm) -> TestKey {
        let digest = Sha256::digest(format!("{SEED_LABEL_PREFIX}{label}").as_bytes());
        let mut seed = [0u8; 32];
        seed.copy_from_slice(&digest);
        TestKey {
            label,
            role,
            algorithm,
            seed,
            key: SigningKey::from_seed(algorithm, &seed),
        }
    }

    /// The public key.
    pub fn public_key(&self) -> PublicKey {
        self.key.public_key()
    }
}

/// The keys and the trust list of the vectors.
#[derive(Debug, Clone)]
pub struct Fixture {
    /// The root key that signs the trust list.
    pub root: TestKey,
    /// Jiangsu emergency management: special operations and safety management.
    pub emergency: TestKey,
    /// Jiangsu market regulation: special equipment.
    pub market: TestKey,
    /// Jiangsu housing and construction: construction safety management, and items
    /// 01 to 04 of construction special operations; its key window opens in 2023.
    pub housing: TestKey,
    /// The emergency management department's previous key, retired on [`RETIRED_SINCE`].
    pub retired: TestKey,
    /// A city bureau's key the trust list marks compromised.
    pub compromised: TestKey,
    /// Shanghai emergency management: special operations, signed with SM2.
    pub sm2: TestKey,
    /// A key no trust list names.
    pub stranger: TestKey,
    /// The trust list, unsigned.
    pub trust_list: TrustList,
}

impl Fixture {
    /// Build the fixture. Deterministic: the same every time.
    pub fn new() -> Fixture {
        let root = TestKey::new("root", "root authority: signs the trust list");
        let emergency = TestKey::new(
            "emergency",
            "Jiangsu emergency management department: special operations and safety management",
        );
        let market = TestKey::new(
            "market",
            "Jiangsu market regulation administration: special equipment",
        );
        let housing = TestKey::new(
            "housing",
            "Jiangsu housing and construction department: construction safety management, \
             construction special operations items 01-04; key valid from 2023-01-01",
        );
        let retired = TestKey::new(
            "emergency-2019",
            "Jiangsu emergency management department's previous key: special operations; retired on 2024-07-01",
        );
        let compromised = TestKey::new(
            "suzhou",
            "Suzhou emergency management bureau: special operations; marked compromised",
        );
        let sm2 = TestKey::with_algorithm(
            "shanghai-sm2",
            "Shanghai emergency management bureau: special operations; an SM2 key",
            Algorithm::Sm2,
        );
        let stranger = TestKey::new("stranger", "a key no trust list names");
        let every_item = |family| Scope {
            family,
            items: None,
        };
        let issuer = |key: &TestKey,
                      name_zh: &str,
                      name_en: &str,
                      region_code,
                      scope,
                      window: (Date, Date),
                      status,
                      domains: &[&str]| {
            TrustedIssuer {
                public_key: key.public_key(),
                name_zh: name_zh.to_owned(),
                name_en: name_en.to_owned(),
                region_code,
                scope,
                key_valid_from: window.0,
                key_valid_until: window.1,
                status,
                domains: domains.iter().map(|&domain| domain.to_owned()).collect(),
            }
        };
        let issuers = vec![
            issuer(
                &emergency,
                "江苏省应急管理厅",
                "Jiangsu Provincial Department of Emergency Management",
                320_000,
                vec![
                    every_item(Family::SpecialOperations),
                    every_item(Family::SafetyManagement),
                ],
                (date!(2020 - 01 - 01), date!(2029 - 12 - 31)),
                KeyStatus::Active,
                &["yjt.jiangsu.gov.cn"],
            ),
            issuer(
                &market,
                "江苏省市场监督管理局",
                "Jiangsu Administration for Market Regulation",
                320_000,
                vec![every_item(Family::SpecialEquipment)],
                (date!(2020 - 01 - 01), date!(2029 - 12 - 31)),
                KeyStatus::Active,
                &["scjgj.jiangsu.gov.cn"],
            ),
            issuer(
                &housing,
                "江苏省住房和城乡建设厅",
                "Jiangsu Provincial Department of Housing and Urban-Rural Development",
                320_000,
                vec![
                    every_item(Family::ConstructionSafetyManagement),
                    Scope {
                        family: Family::ConstructionSpecialOperations,
                        items: Some(["01", "02", "03", "04"].map(str::to_owned).to_vec()),
                    },
                ],
                (date!(2023 - 01 - 01), date!(2032 - 12 - 31)),
                KeyStatus::Active,
                &["jsszfhcxjst.jiangsu.gov.cn"],
            ),
            issuer(
                &retired,
                "江苏省应急管理厅",
                "Jiangsu Provincial Department of Emergency Management",
                320_000,
                vec![every_item(Family::SpecialOperations)],
                (date!(2019 - 01 - 01), date!(2028 - 12 - 31)),
                KeyStatus::Retired {
                    since: RETIRED_SINCE,
                },
                &[],
            ),
            issuer(
                &compromised,
                "苏州市应急管理局",
                "Suzhou Emergency Management Bureau",
                320_500,
                vec![every_item(Family::SpecialOperations)],
                (date!(2020 - 01 - 01), date!(2029 - 12 - 31)),
                KeyStatus::Compromised,
                &[],
            ),
            issuer(
                &sm2,
                "上海市应急管理局",
                "Shanghai Emergency Management Bureau",
                310_000,
                vec![every_item(Family::SpecialOperations)],
                (date!(2020 - 01 - 01), date!(2029 - 12 - 31)),
                KeyStatus::Active,
                &["yjglj.sh.gov.cn"],
            ),
        ];
        let trust_list = TrustList {
            sequence: TRUST_LIST_SEQUENCE,
            issued_at: TRUST_LIST_ISSUED_AT,
            expires_at: TRUST_LIST_EXPIRES_AT,
            issuers,
            official_domains: vec![OfficialDomain {
                domain: OFFICIAL_PLATFORM.to_owned(),
                name_zh: "应急管理部".to_owned(),
                name_en: "Ministry of Emergency Management".to_owned(),
            }],
        };
        Fixture {
            root,
            emergency,
            market,
            housing,
            retired,
            compromised,
            sm2,
            stranger,
            trust_list,
        }
    }

    /// Every key, root first, stranger last.
    pub fn keys(&self) -> [&TestKey; 8] {
        [
            &self.root,
            &self.emergency,
            &self.market,
            &self.housing,
            &self.retired,
            &self.compromised,
            &self.sm2,
            &self.stranger,
        ]
    }

    /// The trust list signed by the root key.
    pub fn signed_trust_list(&self) -> Result<Vec<u8>, TrustListError> {
        self.trust_list.sign(&self.root.key)
    }
}

impl Default for Fixture {
    fn default() -> Self {
        Fixture::new()
    }
}
