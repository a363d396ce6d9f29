//! The sources of the monitoring panel (`haemodynamics.md` in the project's science notes),
//! and the one type every number of the panel is given in: a value with its unit, the id of
//! its source and its provenance label.

use crate::model::Provenance;
use serde::Serialize;
use ts_rs::TS;

/// A publication, label or web page that numbers of the panel come from.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct CitedSource {
    /// Id that numbers refer to ([`Cited::source`]).
    pub id: &'static str,
    /// Short name for a chart or a table cell.
    pub short: &'static str,
    /// Citation as read (parts not confirmed say so).
    pub citation: &'static str,
    /// Where it was read.
    pub url: &'static str,
}

/// A number with its unit, source and provenance.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Cited {
    /// The value.
    pub value: f64,
    /// Its unit (`mmHg`, `beats/min`, `%`, `min`, `ng/mL`; empty for a pure number).
    pub unit: &'static str,
    /// Id of its source ([`sources`]).
    pub source: &'static str,
    /// How solid it is.
    pub provenance: Provenance,
    /// What it is, and for a derived number how it was computed.
    pub note: String,
}

impl Cited {
    pub(crate) fn new(
        value: f64,
        unit: &'static str,
        source: &'static str,
        provenance: Provenance,
        note: impl Into<String>,
    ) -> Self {
        Cited {
            value,
            unit,
            source,
            provenance,
            note: note.into(),
        }
    }
}

/// `x` rounded to `digits` decimals, for text (shortest `{}` formatting of the rounded value:
/// the browser's module then needs no fixed-precision float formatting).
pub(crate) fn rounded(x: f64, digits: i32) -> f64 {
    let p = 10f64.powi(digits);
    (x * p).round() / p
}

/// Id of this tool's own derivations and assumptions (the note of each says how).
pub const KETASIM: &str = "ketasim";

/// Every source of the panel.
///
/// ```
/// let ids: Vec<_> = ketasim::monitoring::sources().iter().map(|s| s.id).collect();
/// assert!(ids.contains(&"vankawala2021"));
/// assert!(ids.contains(&"langsjo2005"));
/// ```
pub fn sources() -> &'static [CitedSource] {
    static S: [CitedSource; 19] = [
        CitedSource {
            id: "vankawala2021",
            short: "Vankawala 2021 (meta-analysis)",
            citation: "Vankawala et al. 2021 (meta-analysis). Front Psychiatry 2021;12:549080, \
                       doi:10.3389/fpsyt.2021.549080 (15 articles, 2 252 ketamine or esketamine treatments, dose \
                       ≤ 0.5 mg/kg)",
            url: "https://frontiersin.org/journals/psychiatry/articles/10.3389/fpsyt.2021.549080/text",
        },
        CitedSource {
            id: "yale2024",
            short: "Yale chart review 2024",
            citation: "Chart review of 138 patients, 2 342 IV ketamine infusions (authors not \
                       retrieved). Gen Hosp Psychiatry 2024, doi:10.1016/j.genhosppsych.2024.07.001",
            url: "https://litmetric.com/detail/38991311/",
        },
        CitedSource {
            id: "riva_posse2018",
            short: "Riva-Posse 2018",
            citation: "Riva-Posse et al. J Affect Disord 2018, doi:10.1016/j.jad.2018.02.025 \
                       (66 patients, 684 infusions; volume and pages UNVERIFIED)",
            url: "http://47.251.13.51:8081/29525051",
        },
        CitedSource {
            id: "szarmach2020",
            short: "Szarmach 2020",
            citation: "Szarmach et al. Neuropsychiatr Dis Treat 2020;16:2539–2551 (49 inpatients)",
            url: "https://pmc.ncbi.nlm.nih.gov/articles/PMC7605942",
        },
        CitedSource {
            id: "fang2019",
            short: "Fang 2019",
            citation: "Fang et al. Chin J Nerv Ment Dis 2019;45(6):361–364 (13 ketamine vs 14 \
                       saline, 0.5 mg/kg)",
            url: "http://wprim.whocc.org.cn:80/admin/article/articleDetail?WPRIMID=753928&articleId=760167",
        },
        CitedSource {
            id: "langsjo2005",
            short: "Långsjö 2005",
            citation: "Långsjö 2005. Anesthesiology 2005;103:258 (8 men; S-ketamine 159 ± 21 and 1959 ± 442 ng/mL)",
            url: "https://pubs.asahq.org/anesthesiology/article/103/2/258/9292/",
        },
        CitedSource {
            id: "idvall1979",
            short: "Idvall 1979",
            citation: "Idvall et al. Br J Anaesth 1979 (authors, volume and pages UNVERIFIED; \
                       title read): 31 patients, steady plasma 9.3 ± 0.8 µmol/L",
            url: "https://scilit.com/publications/049a8f315572cf6db37f8677f1566509",
        },
        CitedSource {
            id: "johnstone1976",
            short: "Johnstone 1976",
            citation: "Johnstone 1976. Anaesthesia 31:873–882 (anaesthetic boluses)",
            url: "https://www.scribd.com/document/543392448/j-1365-2044-1976-tb11898-x",
        },
        CitedSource {
            id: "spravato_label",
            short: "Spravato label",
            citation: "SPRAVATO (esketamine) nasal spray, US prescribing information: brief \
                       summary reprinted in US Medicine 2021, and the 03/2019 label mirror (the \
                       label verbatim, reprinted)",
            url: "https://www.usmedicine.com/2021online-dir/inc/html/30.html",
        },
        CitedSource {
            id: "spravato_hcp",
            short: "Spravato HCP dosing page",
            citation: "Manufacturer's HCP dosing page for SPRAVATO (TRD)",
            url: "https://www.spravatohcp.com/dosing-spravato-trd",
        },
        CitedSource {
            id: "jnj_cardiovascular",
            short: "J&J medical information (cardiovascular)",
            citation: "Janssen medical information: adverse events of SPRAVATO, cardiovascular \
                       effects (phase 3 pre-dose holds; return of blood pressure)",
            url: "https://janssenscience.com/products/spravato/medical-content/adverse-event-of-spravato-cardiovascular-effects",
        },
        CitedSource {
            id: "jnj_antihypertensive",
            short: "J&J medical information (blood pressure before dosing)",
            citation: "Janssen medical information: concomitant use of SPRAVATO with \
                       antihypertensive medications (the label's general guide)",
            url: "https://www.jnjmedicalconnect.com/products/spravato/medical-content/concomitant-use-of-spravato-with-antihypertensive-medications",
        },
        CitedSource {
            id: "jnj_dissociation",
            short: "J&J medical information (dissociation)",
            citation: "Janssen medical information: dissociative effects / perceptual \
                       disturbances with SPRAVATO (CADSS, citing the trials)",
            url: "https://jnjmedicalconnect.com/products/spravato/medical-content/adverse-event-of-spravato-dissociative-effectsperceptual-disturbances",
        },
        CitedSource {
            id: "doherty2020",
            short: "Doherty 2020",
            citation: "Doherty et al. (first author UNVERIFIED). Cardiac safety of esketamine \
                       nasal spray in treatment-resistant depression. CNS Drugs 2020;34(3):299–310 \
                       (abstract mirror)",
            url: "https://pubmed.ncbi.nlm.nih.gov/31994024/",
        },
        CitedSource {
            id: "aspire2021",
            short: "ASPIRE I+II pooled",
            citation: "ASPIRE I and II pooled safety, J Clin Psychopharmacol 2021;41:516, Table 2",
            url: "https://pmc.ncbi.nlm.nih.gov/articles/PMC8407443/table/T2",
        },
        CitedSource {
            id: "del_sant2020",
            short: "Del Sant 2020",
            citation: "Del Sant et al. J Psychopharmacol 2020 (subcutaneous esketamine, 70 \
                       patients)",
            url: "https://biomed.reviewer.ly/app/publication/43856ff6-1ebb-455c-843f-c87a23fa40fe",
        },
        CitedSource {
            id: "thorp2009",
            short: "Thorp 2009",
            citation: "Thorp et al. Pediatr Emerg Care 2009;25(1):15–18 (1 039 paediatric \
                       emergency-department sedations)",
            url: "http://47.251.13.51:8081/19116497",
        },
        CitedSource {
            id: "sigtermans2009",
            short: "Sigtermans 2009 / Kamp 2021",
            citation: "Sigtermans M et al. Anesthesiology 2009;111:892 and Kamp J et al. Br J \
                       Anaesth 2021;127:23: cardiac-output models of S-ketamine (and \
                       S-norketamine), parameters in full-text tables not read (GAP)",
            url: "https://pubs.asahq.org/anesthesiology/article/111/4/892/9591/S-ketamine-Effect-on-Experimental-Pain-and-Cardiac",
        },
        CitedSource {
            id: KETASIM,
            short: "ketasim",
            citation: "This tool: a derivation from the cited numbers (the note shows the \
                       calculation) or a stated modelling assumption",
            url: "",
        },
    ];
    &S
}

/// The source with id `id`.
pub fn source(id: &str) -> Option<&'static CitedSource> {
    sources().iter().find(|s| s.id == id)
}
