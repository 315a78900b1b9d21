//! The certificate families and their official item catalogs, as typed static data.
//!
//! A certificate belongs to one [`Family`] and names one leaf [`Item`] of that family's
//! catalog by its code. Categories group items for display; a category code is not an
//! item code, except where the official catalog does not subdivide a category, in which
//! case its single item is listed explicitly (see each family's notes below).
//!
//! Item codes go into QR codes, so they are short ASCII (at most [`MAX_CODE_LEN`]
//! bytes), unique within a family and stable forever: an item may be added, never
//! renumbered. Where the regulation gives codes (`1.1`, `G1`, `C2`) they are used
//! verbatim; where it gives none, this module chooses them and says so.

use crate::id_number::IdNumber;

/// Longest item or category code, in bytes.
pub const MAX_CODE_LEN: usize = 16;

/// A certificate family: one kind of certificate with its own regulation, issuing
/// authority, validity and item catalog.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Family {
    /// Special operations certificate (特种作业操作证), issued by provincial emergency
    /// management departments under 《特种作业人员安全技术培训考核管理规定》 (former
    /// SAWS Order No. 30 of 2010, amended by Orders No. 63 of 2013 and No. 80 of 2015).
    SpecialOperations,
    /// Special equipment operator certificate (特种设备作业人员证), issued by market
    /// regulation departments under 《特种设备作业人员监督管理办法》 and TSG Z6001-2019
    /// 《特种设备作业人员考核规则》.
    SpecialEquipment,
    /// Work safety knowledge and management competence certificate
    /// (安全生产知识和管理能力考核合格证) for principals and safety managers of
    /// high-risk businesses, issued by emergency management departments under
    /// Article 27 of the Work Safety Law (《安全生产法》, 2021) and
    /// 《安全生产培训管理办法》 (former SAWS Order No. 44, as amended).
    SafetyManagement,
    /// Work safety certificate of construction enterprise principals, project leaders
    /// and full-time safety managers, the "three kinds of staff" (安管人员), issued by
    /// housing and urban-rural development departments under Ministry of Housing and
    /// Urban-Rural Development Order No. 17 (2014) and 建质〔2015〕206号.
    ConstructionSafetyManagement,
    /// Construction special operations qualification certificate
    /// (建筑施工特种作业操作资格证书), issued by housing and urban-rural development
    /// departments under 《建筑施工特种作业人员管理规定》
    /// (建质〔2008〕75号).
    ConstructionSpecialOperations,
}

impl Family {
    /// Every family, in wire-code order.
    pub const ALL: [Family; 5] = [
        Family::SpecialOperations,
        Family::SpecialEquipment,
        Family::SafetyManagement,
        Family::ConstructionSafetyManagement,
        Family::ConstructionSpecialOperations,
    ];

    /// Wire code, 1..=5 in declaration order. Stable forever: never reuse or reorder.
    pub fn code(self) -> u8 {
        match self {
            Family::SpecialOperations => 1,
            Family::SpecialEquipment => 2,
            Family::SafetyManagement => 3,
            Family::ConstructionSafetyManagement => 4,
            Family::ConstructionSpecialOperations => 5,
        }
    }

    /// Inverse of [`Family::code`]; `None` for an unknown code.
    pub fn from_code(code: u64) -> Option<Family> {
        Family::ALL
            .into_iter()
            .find(|family| u64::from(family.code()) == code)
    }

    /// Stable kebab-case name, the same as the serde name: `special-operations`, ...
    pub fn slug(self) -> &'static str {
        match self {
            Family::SpecialOperations => "special-operations",
            Family::SpecialEquipment => "special-equipment",
            Family::SafetyManagement => "safety-management",
            Family::ConstructionSafetyManagement => "construction-safety-management",
            Family::ConstructionSpecialOperations => "construction-special-operations",
        }
    }

    /// Inverse of [`Family::slug`]; exact match only (no case folding or trimming).
    pub fn from_slug(slug: &str) -> Option<Family> {
        Family::ALL.into_iter().find(|family| family.slug() == slug)
    }

    /// The certificate's Chinese name.
    ///
    /// The construction safety management certificate's full official title is
    /// 建筑施工企业主要负责人、项目负责人和专职安全生产管理人员安全生产考核合格证书;
    /// the shorter common name is used here.
    pub fn name_zh(self) -> &'static str {
        match self {
            Family::SpecialOperations => "特种作业操作证",
            Family::SpecialEquipment => "特种设备作业人员证",
            Family::SafetyManagement => "安全生产知识和管理能力考核合格证",
            Family::ConstructionSafetyManagement => "建筑施工企业安全生产管理人员考核合格证",
            Family::ConstructionSpecialOperations => "建筑施工特种作业操作资格证",
        }
    }

    /// The certificate's English name.
    pub fn name_en(self) -> &'static str {
        match self {
            Family::SpecialOperations => "Special operations certificate",
            Family::SpecialEquipment => "Special equipment operator certificate",
            Family::SafetyManagement => {
                "Work safety knowledge and management competence certificate"
            }
            Family::ConstructionSafetyManagement => {
                "Construction enterprise safety management staff certificate"
            }
            Family::ConstructionSpecialOperations => {
                "Construction special operations qualification certificate"
            }
        }
    }

    /// Kind of government department that issues the certificate, in Chinese.
    ///
    /// Provinces may delegate to city-level departments of the same kind. Coal mine
    /// certificates of the emergency management families are issued in some provinces
    /// by the coal mine safety training authority (煤矿安全培训主管部门) instead.
    pub fn authority_kind_zh(self) -> &'static str {
        match self {
            Family::SpecialOperations | Family::SafetyManagement => "应急管理部门",
            Family::SpecialEquipment => "市场监督管理部门",
            Family::ConstructionSafetyManagement | Family::ConstructionSpecialOperations => {
                "住房和城乡建设主管部门"
            }
        }
    }

    /// Kind of government department that issues the certificate, in English.
    pub fn authority_kind_en(self) -> &'static str {
        match self {
            Family::SpecialOperations | Family::SafetyManagement => {
                "emergency management department"
            }
            Family::SpecialEquipment => "market regulation department",
            Family::ConstructionSafetyManagement | Family::ConstructionSpecialOperations => {
                "housing and urban-rural development department"
            }
        }
    }

    /// Longest validity of one certificate, in years, before it must be renewed.
    ///
    /// | family | years | source |
    /// |---|---|---|
    /// | special operations | 6 | 《特种作业人员安全技术培训考核管理规定》: valid 6 years nationwide, reviewed during that time (see [`Family::review_rule`]) |
    /// | special equipment | 4 | TSG Z6001-2019: the certificate is valid 4 years, then renewed (复审) |
    /// | safety management | 3 | 《安全生产培训管理办法》: valid 3 years |
    /// | construction safety management | 3 | MOHURD Order No. 17 (2014): valid 3 years, extended (延续) on application |
    /// | construction special operations | 2 | 建质〔2008〕75号: valid 2 years; each extension review (延期复核) adds 2 years |
    pub fn max_validity_years(self) -> u8 {
        match self {
            Family::SpecialOperations => 6,
            Family::SpecialEquipment => 4,
            Family::SafetyManagement | Family::ConstructionSafetyManagement => 3,
            Family::ConstructionSpecialOperations => 2,
        }
    }

    /// The interim review (复审) a valid certificate must pass, if any.
    ///
    /// Only special operations certificates have one: every 3 years, or every 6 years
    /// (so, in effect, only at renewal) once the holder has worked continuously in the
    /// trade for 10 years without breaking work safety law and the issuing authority
    /// agrees (《特种作业人员安全技术培训考核管理规定》, chapter on review). Renewals of
    /// the other families happen at expiry and are not interim reviews.
    pub fn review_rule(self) -> Option<ReviewRule> {
        match self {
            Family::SpecialOperations => Some(ReviewRule {
                interval_years: 3,
                extended_interval_years: 6,
                extended_after_years: 10,
            }),
            Family::SpecialEquipment
            | Family::SafetyManagement
            | Family::ConstructionSafetyManagement
            | Family::ConstructionSpecialOperations => None,
        }
    }

    /// The family's catalog: its categories, each with its leaf items.
    pub fn categories(self) -> &'static [Category] {
        match self {
            Family::SpecialOperations => &SPECIAL_OPERATIONS,
            Family::SpecialEquipment => &SPECIAL_EQUIPMENT,
            Family::SafetyManagement => &SAFETY_MANAGEMENT,
            Family::ConstructionSafetyManagement => &CONSTRUCTION_SAFETY_MANAGEMENT,
            Family::ConstructionSpecialOperations => &CONSTRUCTION_SPECIAL_OPERATIONS,
        }
    }

    /// Every leaf item of the family, in catalog order.
    pub fn items(self) -> impl Iterator<Item = &'static Item> {
        self.categories()
            .iter()
            .flat_map(|category| category.items.iter())
    }

    /// The leaf item with this exact code (case-sensitive), searching all categories.
    pub fn item(self, code: &str) -> Option<&'static Item> {
        self.items().find(|item| item.code == code)
    }

    /// The category holding the item with this code.
    pub fn category_of(self, item_code: &str) -> Option<&'static Category> {
        self.categories()
            .iter()
            .find(|category| category.item(item_code).is_some())
    }

    /// How this family's certificate numbers (证书编号) are formed.
    pub fn number_rule(self) -> NumberRule {
        match self {
            Family::SpecialOperations => NumberRule::TPrefixedIdNumber,
            Family::SpecialEquipment
            | Family::SafetyManagement
            | Family::ConstructionSafetyManagement
            | Family::ConstructionSpecialOperations => NumberRule::IssuerAssigned,
        }
    }
}

/// Interim review (复审) schedule of a valid certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct ReviewRule {
    /// Normal interval between reviews, in years.
    pub interval_years: u8,
    /// Longer interval the issuing authority may grant to a long-standing holder.
    pub extended_interval_years: u8,
    /// Years of continuous work in the trade, without violating work safety law,
    /// before the longer interval may be granted.
    pub extended_after_years: u8,
}

impl ReviewRule {
    /// Review interval for a holder who has worked `years_in_trade` continuous years in
    /// the trade, where `extension_approved` records that the holder kept the law and the
    /// issuing authority agreed to the longer interval.
    pub fn interval_years_for(self, years_in_trade: u8, extension_approved: bool) -> u8 {
        if extension_approved && years_in_trade >= self.extended_after_years {
            self.extended_interval_years
        } else {
            self.interval_years
        }
    }
}

/// A group of items in a family's catalog (作业类别 or 种类). Not itself an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Category {
    /// Category code, official where the catalog has one.
    pub code: &'static str,
    /// Official Chinese name.
    pub name_zh: &'static str,
    /// English name.
    pub name_en: &'static str,
    /// The leaf items in this category, in catalog order; never empty.
    pub items: &'static [Item],
}

impl Category {
    /// The item of this category with this exact code.
    pub fn item(&self, code: &str) -> Option<&'static Item> {
        self.items.iter().find(|item| item.code == code)
    }
}

/// A leaf of a family's catalog (操作项目 or 作业项目): what a certificate licenses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Item {
    /// Item code, unique within the family, ASCII, at most [`MAX_CODE_LEN`] bytes.
    pub code: &'static str,
    /// Official Chinese name.
    pub name_zh: &'static str,
    /// English name.
    pub name_en: &'static str,
}

impl Item {
    const fn new(code: &'static str, name_zh: &'static str, name_en: &'static str) -> Item {
        Item {
            code,
            name_zh,
            name_en,
        }
    }
}

/// How a family's certificate numbers (证书编号) are formed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NumberRule {
    /// `T` followed by the holder's identity card number, exactly: the national format
    /// of special operations certificates since 2010. The `X` check character must be
    /// uppercase.
    TPrefixedIdNumber,
    /// Chosen by the issuer, in the shapes in use: `TS320582A0010023` (special
    /// equipment), an identity card number (special equipment in many provinces), `京建安C2（2024）0012345` (construction safety management),
    /// `苏A042023000123` (construction special operations). The number
    ///
    /// - has [`NumberRule::MIN_ISSUER_ASSIGNED_CHARS`] to
    ///   [`NumberRule::MAX_ISSUER_ASSIGNED_CHARS`] characters;
    /// - holds only ASCII digits, uppercase ASCII letters (lowercase would give one
    ///   number two spellings), `-`, ASCII or full-width parentheses (`()`, `（）`) and
    ///   CJK unified ideographs (U+4E00..=U+9FFF, for province abbreviations such as
    ///   苏 or 京建安); no space, other punctuation, control or invisible character;
    /// - holds at least one digit;
    /// - neither starts nor ends with `-`, and has no `-` next to another `-` or just
    ///   inside a parenthesis (`(-`, `-)`);
    /// - closes every parenthesis it opens with one of the same width, before opening
    ///   another, with something between them (`（2024）`, not `（2024`, `(2024）` or `()`).
    IssuerAssigned,
}

impl NumberRule {
    /// Longest issuer-assigned certificate number, in characters.
    pub const MAX_ISSUER_ASSIGNED_CHARS: usize = 32;
    /// Shortest issuer-assigned certificate number, in characters: every numbering
    /// scheme in use has at least twelve, and a number such as `-` or `1` is a mistake.
    pub const MIN_ISSUER_ASSIGNED_CHARS: usize = 6;

    /// Checks a certificate number against this rule for a holder.
    ///
    /// # Errors
    ///
    /// [`CertificateNumberError`] says which requirement failed, without repeating the
    /// number (it may contain the holder's identity card number).
    pub fn check(self, number: &str, holder_id: &IdNumber) -> Result<(), CertificateNumberError> {
        match self {
            NumberRule::TPrefixedIdNumber => {
                if number.strip_prefix('T') == Some(holder_id.as_str()) {
                    Ok(())
                } else {
                    Err(CertificateNumberError::NotHolderIdNumber)
                }
            }
            NumberRule::IssuerAssigned => check_issuer_assigned(number),
        }
    }
}

/// [`NumberRule::IssuerAssigned`]: checks run in this order, and the first failure is
/// returned: length, characters (each one in turn: allowed, hyphens, parentheses), an
/// unclosed parenthesis at the end, a digit.
fn check_issuer_assigned(number: &str) -> Result<(), CertificateNumberError> {
    let found = number.chars().count();
    if found == 0 {
        return Err(CertificateNumberError::Empty);
    }
    if found < NumberRule::MIN_ISSUER_ASSIGNED_CHARS {
        return Err(CertificateNumberError::TooShort {
            found,
            min: NumberRule::MIN_ISSUER_ASSIGNED_CHARS,
        });
    }
    if found > NumberRule::MAX_ISSUER_ASSIGNED_CHARS {
        return Err(CertificateNumberError::TooLong {
            found,
            max: NumberRule::MAX_ISSUER_ASSIGNED_CHARS,
        });
    }
    // The closing parenthesis expected, and whether anything came after the opening one.
    let mut open: Option<(char, bool)> = None;
    let mut previous: Option<char> = None;
    for (index, character) in number.chars().enumerate() {
        let position = index + 1;
        match character {
            '0'..='9' | 'A'..='Z' | '\u{4E00}'..='\u{9FFF}' => {
                if let Some((_, filled)) = open.as_mut() {
                    *filled = true;
                }
            }
            '-' => {
                if position == 1 || position == found || matches!(previous, Some('-' | '(' | '（'))
                {
                    return Err(CertificateNumberError::MisplacedHyphen { position });
                }
            }
            '(' | '（' => {
                if open.is_some() {
                    return Err(CertificateNumberError::UnbalancedParentheses { position });
                }
                open = Some((if character == '(' { ')' } else { '）' }, false));
            }
            ')' | '）' if previous == Some('-') => {
                return Err(CertificateNumberError::MisplacedHyphen { position: index });
            }
            ')' | '）' => match open {
                Some((closing, true)) if closing == character => {
                    open = None;
                }
                _ => return Err(CertificateNumberError::UnbalancedParentheses { position }),
            },
            _ => return Err(CertificateNumberError::InvalidCharacter { position }),
        }
        previous = Some(character);
    }
    if open.is_some() {
        return Err(CertificateNumberError::UnbalancedParentheses { position: found });
    }
    if !number.bytes().any(|byte| byte.is_ascii_digit()) {
        return Err(CertificateNumberError::NoDigit);
    }
    Ok(())
}

/// Why a certificate number does not follow its family's [`NumberRule`].
///
/// No variant carries or prints the number, which may contain personal data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CertificateNumberError {
    /// The number is not `T` followed by the holder's identity card number.
    #[error("certificate number is not \"T\" followed by the holder's identity card number")]
    NotHolderIdNumber,
    /// The number is empty.
    #[error("certificate number is empty")]
    Empty,
    /// The number has fewer characters than allowed.
    #[error("certificate number has {found} characters, at least {min} needed")]
    TooShort {
        /// Number of characters found.
        found: usize,
        /// Fewest characters allowed.
        min: usize,
    },
    /// The number has more characters than allowed.
    #[error("certificate number has {found} characters, at most {max} allowed")]
    TooLong {
        /// Number of characters found.
        found: usize,
        /// Most characters allowed.
        max: usize,
    },
    /// A character outside the allowed set (a lowercase letter, a space, other
    /// punctuation, a control or invisible character...).
    #[error("certificate number has a disallowed character at position {position}")]
    InvalidCharacter {
        /// Position of the first bad character, counted from 1.
        position: usize,
    },
    /// A `-` first, last, after another `-` or just inside a parenthesis.
    #[error("certificate number has a misplaced hyphen at position {position}")]
    MisplacedHyphen {
        /// Position of the hyphen, counted from 1.
        position: usize,
    },
    /// A parenthesis closed without being opened, by one of the other width, with
    /// nothing inside, opened inside another, or never closed.
    #[error("certificate number has unbalanced parentheses at position {position}")]
    UnbalancedParentheses {
        /// Position of the parenthesis at fault (the last character for one never
        /// closed), counted from 1.
        position: usize,
    },
    /// No digit at all.
    #[error("certificate number has no digit")]
    NoDigit,
}

/// The special operations catalog (特种作业目录), the annex to
/// 《特种作业人员安全技术培训考核管理规定》 (2010, amended 2013 and 2015): 11 categories
/// with the official hierarchical codes.
///
/// Category 11 has no subdivisions in the annex, so its single item carries the code
/// `11`. Hazardous chemical processes added to the key-supervision list after 2010
/// (e.g. 新型煤化工, 电石生产, 偶氮化) are not in this catalog and appear here only
/// if an amendment adds them.
static SPECIAL_OPERATIONS: [Category; 11] = [
    Category {
        code: "1",
        name_zh: "电工作业",
        name_en: "Electrical work",
        items: &[
            Item::new("1.1", "高压电工作业", "High-voltage electrical work"),
            Item::new("1.2", "低压电工作业", "Low-voltage electrical work"),
            Item::new("1.3", "防爆电气作业", "Explosion-proof electrical work"),
        ],
    },
    Category {
        code: "2",
        name_zh: "焊接与热切割作业",
        name_en: "Welding and thermal cutting",
        items: &[
            Item::new(
                "2.1",
                "熔化焊接与热切割作业",
                "Fusion welding and thermal cutting",
            ),
            Item::new("2.2", "压力焊作业", "Pressure welding"),
            Item::new("2.3", "钎焊作业", "Brazing and soldering"),
        ],
    },
    Category {
        code: "3",
        name_zh: "高处作业",
        name_en: "Work at height",
        items: &[
            Item::new("3.1", "登高架设作业", "Erection work at height"),
            Item::new(
                "3.2",
                "高处安装、维护、拆除作业",
                "Installation, maintenance and dismantling at height",
            ),
        ],
    },
    Category {
        code: "4",
        name_zh: "制冷与空调作业",
        name_en: "Refrigeration and air conditioning work",
        items: &[
            Item::new(
                "4.1",
                "制冷与空调设备运行操作作业",
                "Operation of refrigeration and air-conditioning equipment",
            ),
            Item::new(
                "4.2",
                "制冷与空调设备安装修理作业",
                "Installation and repair of refrigeration and air-conditioning equipment",
            ),
        ],
    },
    Category {
        code: "5",
        name_zh: "煤矿安全作业",
        name_en: "Coal mine safety work",
        items: &[
            Item::new(
                "5.1",
                "煤矿井下电气作业",
                "Underground electrical work in coal mines",
            ),
            Item::new(
                "5.2",
                "煤矿井下爆破作业",
                "Underground blasting in coal mines",
            ),
            Item::new(
                "5.3",
                "煤矿安全监测监控作业",
                "Coal mine safety monitoring and control",
            ),
            Item::new("5.4", "煤矿瓦斯检查作业", "Coal mine gas inspection"),
            Item::new("5.5", "煤矿安全检查作业", "Coal mine safety inspection"),
            Item::new("5.6", "煤矿提升机操作作业", "Coal mine hoist operation"),
            Item::new(
                "5.7",
                "煤矿采煤机（掘进机）操作作业",
                "Coal mine shearer (roadheader) operation",
            ),
            Item::new("5.8", "煤矿瓦斯抽采作业", "Coal mine gas drainage"),
            Item::new("5.9", "煤矿防突作业", "Coal mine outburst prevention"),
            Item::new(
                "5.10",
                "煤矿探放水作业",
                "Coal mine water exploration and drainage",
            ),
        ],
    },
    Category {
        code: "6",
        name_zh: "金属非金属矿山安全作业",
        name_en: "Metal and non-metal mine safety work",
        items: &[
            Item::new("6.1", "金属非金属矿井通风作业", "Mine ventilation"),
            Item::new("6.2", "尾矿作业", "Tailings work"),
            Item::new(
                "6.3",
                "金属非金属矿山安全检查作业",
                "Mine safety inspection",
            ),
            Item::new(
                "6.4",
                "金属非金属矿山提升机操作作业",
                "Mine hoist operation",
            ),
            Item::new("6.5", "金属非金属矿山支柱作业", "Mine ground support"),
            Item::new(
                "6.6",
                "金属非金属矿山井下电气作业",
                "Underground electrical work in mines",
            ),
            Item::new("6.7", "金属非金属矿山排水作业", "Mine drainage"),
            Item::new("6.8", "金属非金属矿山爆破作业", "Mine blasting"),
        ],
    },
    Category {
        code: "7",
        name_zh: "石油天然气安全作业",
        name_en: "Oil and gas safety work",
        items: &[Item::new("7.1", "司钻作业", "Driller")],
    },
    Category {
        code: "8",
        name_zh: "冶金（有色）生产安全作业",
        name_en: "Metallurgical (non-ferrous) production safety work",
        items: &[Item::new("8.1", "煤气作业", "Fuel gas work")],
    },
    Category {
        code: "9",
        name_zh: "危险化学品安全作业",
        name_en: "Hazardous chemicals safety work",
        items: &[
            Item::new(
                "9.1",
                "光气及光气化工艺作业",
                "Phosgene and phosgenation process",
            ),
            Item::new(
                "9.2",
                "氯碱电解工艺作业",
                "Chlor-alkali electrolysis process",
            ),
            Item::new("9.3", "氯化工艺作业", "Chlorination process"),
            Item::new("9.4", "硝化工艺作业", "Nitration process"),
            Item::new("9.5", "合成氨工艺作业", "Ammonia synthesis process"),
            Item::new("9.6", "裂解（裂化）工艺作业", "Cracking process"),
            Item::new("9.7", "氟化工艺作业", "Fluorination process"),
            Item::new("9.8", "加氢工艺作业", "Hydrogenation process"),
            Item::new("9.9", "重氮化工艺作业", "Diazotization process"),
            Item::new("9.10", "氧化工艺作业", "Oxidation process"),
            Item::new("9.11", "过氧化工艺作业", "Peroxidation process"),
            Item::new("9.12", "胺基化工艺作业", "Amination process"),
            Item::new("9.13", "磺化工艺作业", "Sulfonation process"),
            Item::new("9.14", "聚合工艺作业", "Polymerization process"),
            Item::new("9.15", "烷基化工艺作业", "Alkylation process"),
            Item::new(
                "9.16",
                "化工自动化控制仪表作业",
                "Chemical process automation and control instrumentation",
            ),
        ],
    },
    Category {
        code: "10",
        name_zh: "烟花爆竹安全作业",
        name_en: "Fireworks safety work",
        items: &[
            Item::new(
                "10.1",
                "烟火药制造作业",
                "Pyrotechnic composition manufacture",
            ),
            Item::new("10.2", "黑火药制造作业", "Black powder manufacture"),
            Item::new("10.3", "引火线制造作业", "Fuse manufacture"),
            Item::new(
                "10.4",
                "烟花爆竹产品涉药作业",
                "Work with pyrotechnic compositions in fireworks products",
            ),
            Item::new("10.5", "烟花爆竹储存作业", "Fireworks storage"),
        ],
    },
    Category {
        code: "11",
        name_zh: "安全监管总局认定的其他作业",
        name_en: "Other work designated by the State Administration of Work Safety",
        items: &[Item::new(
            "11",
            "安全监管总局认定的其他作业",
            "Other work designated by the State Administration of Work Safety",
        )],
    },
];

/// The special equipment catalog: 《特种设备作业人员资格认定分类与项目》, announced by
/// the State Administration for Market Regulation in 2019 (公告2019年第3号) with
/// TSG Z6001-2019, 11 categories (种类) and their items (作业项目).
///
/// Item codes are the official project codes (项目代号). Categories have only a row
/// number officially; their codes here are the items' letter, and `W` (chosen here) for
/// welding. The welding items have no official code (their qualifications are coded
/// per process under TSG Z6002), so `W-METAL` and `W-NONMETAL` are chosen here.
/// Notes of the catalog not modelled as items: G2 covers power-station boilers below
/// 300 MW; T covers maintenance as well as repair; Q2 may be restricted on the
/// certificate to one crane type (bridge, gantry, tower, portal, cable, mobile crane,
/// or hoist).
static SPECIAL_EQUIPMENT: [Category; 11] = [
    Category {
        code: "A",
        name_zh: "特种设备安全管理",
        name_en: "Special equipment safety management",
        items: &[Item::new(
            "A",
            "特种设备安全管理",
            "Special equipment safety management",
        )],
    },
    Category {
        code: "G",
        name_zh: "锅炉作业",
        name_en: "Boiler work",
        items: &[
            Item::new("G1", "工业锅炉司炉", "Industrial boiler operator"),
            Item::new("G2", "电站锅炉司炉", "Power-station boiler operator"),
            Item::new("G3", "锅炉水处理", "Boiler water treatment"),
        ],
    },
    Category {
        code: "R",
        name_zh: "压力容器作业",
        name_en: "Pressure vessel work",
        items: &[
            Item::new(
                "R1",
                "快开门式压力容器操作",
                "Quick-opening pressure vessel operation",
            ),
            Item::new("R2", "移动式压力容器充装", "Mobile pressure vessel filling"),
            Item::new(
                "R3",
                "氧舱维护保养",
                "Hyperbaric oxygen chamber maintenance",
            ),
        ],
    },
    Category {
        code: "P",
        name_zh: "气瓶作业",
        name_en: "Gas cylinder work",
        items: &[Item::new("P", "气瓶充装", "Gas cylinder filling")],
    },
    Category {
        code: "T",
        name_zh: "电梯作业",
        name_en: "Elevator work",
        items: &[Item::new(
            "T",
            "电梯修理",
            "Elevator repair and maintenance",
        )],
    },
    Category {
        code: "Q",
        name_zh: "起重机作业",
        name_en: "Crane work",
        items: &[
            Item::new("Q1", "起重机指挥", "Crane signaller"),
            Item::new("Q2", "起重机司机", "Crane operator"),
        ],
    },
    Category {
        code: "S",
        name_zh: "客运索道作业",
        name_en: "Passenger ropeway work",
        items: &[
            Item::new("S1", "客运索道修理", "Passenger ropeway repair"),
            Item::new("S2", "客运索道司机", "Passenger ropeway operator"),
        ],
    },
    Category {
        code: "Y",
        name_zh: "大型游乐设施作业",
        name_en: "Large amusement device work",
        items: &[
            Item::new("Y1", "大型游乐设施修理", "Large amusement device repair"),
            Item::new("Y2", "大型游乐设施操作", "Large amusement device operation"),
        ],
    },
    Category {
        code: "N",
        name_zh: "场（厂）内专用机动车辆作业",
        name_en: "On-site special motor vehicle work",
        items: &[
            Item::new("N1", "叉车司机", "Forklift driver"),
            Item::new(
                "N2",
                "观光车和观光列车司机",
                "Sightseeing car and sightseeing train driver",
            ),
        ],
    },
    Category {
        code: "F",
        name_zh: "安全附件维修作业",
        name_en: "Safety accessory maintenance",
        items: &[Item::new("F", "安全阀校验", "Safety valve calibration")],
    },
    Category {
        code: "W",
        name_zh: "特种设备焊接作业",
        name_en: "Special equipment welding",
        items: &[
            Item::new("W-METAL", "金属焊接操作", "Metal welding"),
            Item::new("W-NONMETAL", "非金属焊接操作", "Non-metal welding"),
        ],
    },
];

/// The safety management catalog: role (category) by industry (item).
///
/// No national catalog with codes exists; the industries are those whose principals
/// and safety managers must pass the emergency management departments' examination
/// under Article 27 of the Work Safety Law and 《生产经营单位安全培训规定》 (mines,
/// metal smelting, production and trade of hazardous chemicals and fireworks, onshore
/// oil and gas extraction), plus the "other industries" certificate many provinces
/// also issue. Codes are chosen here: `P-` principal or `S-` safety manager, then
/// `COAL`, `MINE` (metal and non-metal mines), `SMELT`, `CHEM-PROD`, `CHEM-TRADE`,
/// `FIRE-PROD`, `FIRE-TRADE`, `OILGAS` or `OTHER`.
static SAFETY_MANAGEMENT: [Category; 2] = [
    Category {
        code: "P",
        name_zh: "主要负责人",
        name_en: "Principal",
        items: &[
            Item::new("P-COAL", "煤矿主要负责人", "Coal mine principal"),
            Item::new(
                "P-MINE",
                "金属非金属矿山主要负责人",
                "Metal and non-metal mine principal",
            ),
            Item::new(
                "P-SMELT",
                "金属冶炼单位主要负责人",
                "Metal smelting principal",
            ),
            Item::new(
                "P-CHEM-PROD",
                "危险化学品生产单位主要负责人",
                "Hazardous chemicals production principal",
            ),
            Item::new(
                "P-CHEM-TRADE",
                "危险化学品经营单位主要负责人",
                "Hazardous chemicals trading principal",
            ),
            Item::new(
                "P-FIRE-PROD",
                "烟花爆竹生产单位主要负责人",
                "Fireworks production principal",
            ),
            Item::new(
                "P-FIRE-TRADE",
                "烟花爆竹经营单位主要负责人",
                "Fireworks trading principal",
            ),
            Item::new(
                "P-OILGAS",
                "石油天然气开采单位主要负责人",
                "Oil and gas extraction principal",
            ),
            Item::new(
                "P-OTHER",
                "其他行业生产经营单位主要负责人",
                "Principal in other industries",
            ),
        ],
    },
    Category {
        code: "S",
        name_zh: "安全生产管理人员",
        name_en: "Safety manager",
        items: &[
            Item::new("S-COAL", "煤矿安全生产管理人员", "Coal mine safety manager"),
            Item::new(
                "S-MINE",
                "金属非金属矿山安全生产管理人员",
                "Metal and non-metal mine safety manager",
            ),
            Item::new(
                "S-SMELT",
                "金属冶炼单位安全生产管理人员",
                "Metal smelting safety manager",
            ),
            Item::new(
                "S-CHEM-PROD",
                "危险化学品生产单位安全生产管理人员",
                "Hazardous chemicals production safety manager",
            ),
            Item::new(
                "S-CHEM-TRADE",
                "危险化学品经营单位安全生产管理人员",
                "Hazardous chemicals trading safety manager",
            ),
            Item::new(
                "S-FIRE-PROD",
                "烟花爆竹生产单位安全生产管理人员",
                "Fireworks production safety manager",
            ),
            Item::new(
                "S-FIRE-TRADE",
                "烟花爆竹经营单位安全生产管理人员",
                "Fireworks trading safety manager",
            ),
            Item::new(
                "S-OILGAS",
                "石油天然气开采单位安全生产管理人员",
                "Oil and gas extraction safety manager",
            ),
            Item::new(
                "S-OTHER",
                "其他行业生产经营单位安全生产管理人员",
                "Safety manager in other industries",
            ),
        ],
    },
];

/// The construction safety management catalog, with the official class codes of
/// MOHURD Order No. 17 (2014) and 建质〔2015〕206号: A principal, B project leader, and
/// C full-time safety manager split into C1 machinery, C2 civil works, C3 general.
///
/// Classes A and B are not subdivided, so each has a single item with the same code.
static CONSTRUCTION_SAFETY_MANAGEMENT: [Category; 3] = [
    Category {
        code: "A",
        name_zh: "企业主要负责人",
        name_en: "Enterprise principal",
        items: &[Item::new("A", "企业主要负责人", "Enterprise principal")],
    },
    Category {
        code: "B",
        name_zh: "项目负责人",
        name_en: "Project leader",
        items: &[Item::new("B", "项目负责人", "Project leader")],
    },
    Category {
        code: "C",
        name_zh: "专职安全生产管理人员",
        name_en: "Full-time safety manager",
        items: &[
            Item::new(
                "C1",
                "机械类专职安全生产管理人员",
                "Full-time safety manager, machinery",
            ),
            Item::new(
                "C2",
                "土建类专职安全生产管理人员",
                "Full-time safety manager, civil works",
            ),
            Item::new(
                "C3",
                "综合类专职安全生产管理人员",
                "Full-time safety manager, general",
            ),
        ],
    },
];

/// The construction special operations catalog of 建质〔2008〕75号, Article 3.
///
/// Category codes `1`-`7` follow the article's enumeration. Item codes `01`-`11` are
/// the two-digit trade codes (工种类别代码) embedded in certificate numbers under the
/// national numbering rule of 2008, as reproduced in provincial rules (e.g. Jiangsu's
/// and Shanxi's). Provinces add their own trades under category 7 with their own codes;
/// those are not national, so category 7 has the single item `OTHER`.
static CONSTRUCTION_SPECIAL_OPERATIONS: [Category; 7] = [
    Category {
        code: "1",
        name_zh: "建筑电工",
        name_en: "Construction electrician",
        items: &[Item::new("01", "建筑电工", "Construction electrician")],
    },
    Category {
        code: "2",
        name_zh: "建筑架子工",
        name_en: "Construction scaffolder",
        items: &[
            Item::new(
                "02",
                "建筑架子工（普通脚手架）",
                "Construction scaffolder (ordinary scaffolding)",
            ),
            Item::new(
                "03",
                "建筑架子工（附着升降脚手架）",
                "Construction scaffolder (attached lifting scaffolding)",
            ),
        ],
    },
    Category {
        code: "3",
        name_zh: "建筑起重信号司索工",
        name_en: "Construction hoisting signaller and rigger",
        items: &[Item::new(
            "04",
            "建筑起重信号司索工",
            "Construction hoisting signaller and rigger",
        )],
    },
    Category {
        code: "4",
        name_zh: "建筑起重机械司机",
        name_en: "Construction hoisting machinery operator",
        items: &[
            Item::new(
                "05",
                "建筑起重机械司机（塔式起重机）",
                "Construction hoisting machinery operator (tower crane)",
            ),
            Item::new(
                "06",
                "建筑起重机械司机（施工升降机）",
                "Construction hoisting machinery operator (construction hoist)",
            ),
            Item::new(
                "07",
                "建筑起重机械司机（物料提升机）",
                "Construction hoisting machinery operator (material hoist)",
            ),
        ],
    },
    Category {
        code: "5",
        name_zh: "建筑起重机械安装拆卸工",
        name_en: "Construction hoisting machinery installer and dismantler",
        items: &[
            Item::new(
                "08",
                "建筑起重机械安装拆卸工（塔式起重机）",
                "Construction hoisting machinery installer and dismantler (tower crane)",
            ),
            Item::new(
                "09",
                "建筑起重机械安装拆卸工（施工升降机）",
                "Construction hoisting machinery installer and dismantler (construction hoist)",
            ),
            Item::new(
                "10",
                "建筑起重机械安装拆卸工（物料提升机）",
                "Construction hoisting machinery installer and dismantler (material hoist)",
            ),
        ],
    },
    Category {
        code: "6",
        name_zh: "高处作业吊篮安装拆卸工",
        name_en: "Suspended access platform installer and dismantler",
        items: &[Item::new(
            "11",
            "高处作业吊篮安装拆卸工",
            "Suspended access platform installer and dismantler",
        )],
    },
    Category {
        code: "7",
        name_zh: "经省级以上人民政府建设主管部门认定的其他特种作业",
        name_en: "Other special operations designated by a provincial or national \
                  construction department",
        items: &[Item::new(
            "OTHER",
            "经省级以上人民政府建设主管部门认定的其他特种作业",
            "Other special operations designated by a provincial or national \
             construction department",
        )],
    },
];

#[cfg(test)]
// Tests may panic: a failed unwrap is a failed test.
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests;
