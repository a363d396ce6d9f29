//! `ketasim` command-line interface. Educational model, not dosing advice.

use clap::{Parser, Subcommand, ValueEnum};
use ketasim::population::{self, PopulationSpec};
use ketasim::scenario::json::MAX_JSON_BYTES;
use ketasim::scenario::limits::{MAX_CSHT_DURATIONS, WEIGHT_KG};
use ketasim::text::{num, printable};
use ketasim::{csht, export, models, presets, simulate, Error, Scenario};
use std::io::{Read, Write};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "ketasim",
    version,
    about = "Ketamine PK/PD simulator (educational model, not dosing advice)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// One row per output time.
    Csv,
    /// The full result (series, metrics, warnings).
    Json,
    /// A short human-readable summary of the metrics.
    Summary,
}

#[derive(Subcommand)]
enum Command {
    /// Simulate a scenario (JSON file, or `-` for standard input).
    Simulate {
        /// Scenario file, or `-` for stdin. Omit when using --preset.
        scenario: Option<String>,
        /// Use a built-in preset instead of a file (see `ketasim presets`).
        #[arg(long, conflicts_with = "scenario")]
        preset: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Csv)]
        format: Format,
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        output: Option<String>,
    },
    /// Simulate a virtual population: percentile bands (5/25/50/75/95) over time, the fraction
    /// above a threshold, and per-subject Cmax and recovery time.
    Population {
        /// Scenario file, or `-` for stdin. Omit when using --preset.
        scenario: Option<String>,
        /// Use a built-in preset instead of a file.
        #[arg(long, conflicts_with = "scenario")]
        preset: Option<String>,
        /// Number of subjects (overrides the scenario's population.size).
        #[arg(long)]
        size: Option<u32>,
        /// Seed (overrides the scenario's population.seed).
        #[arg(long)]
        seed: Option<u64>,
        /// Run on one core (same results as the default parallel run).
        #[arg(long)]
        serial: bool,
        /// Output format: csv (bands over time) or json (everything).
        #[arg(long, value_enum, default_value_t = Format::Csv)]
        format: Format,
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        output: Option<String>,
    },
    /// List the models with their sources, provenance and derived parameters.
    Models {
        /// Body weight for the derived values, kg.
        #[arg(long, default_value_t = 70.0)]
        weight_kg: f64,
        /// Print the full model descriptions as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print the built-in teaching scenarios as JSON (all, or one by id), ready to edit.
    Presets {
        /// Preset id; prints only its scenario.
        id: Option<String>,
    },
    /// Print the default lecture (scenes for the page's lecture mode) as JSON, ready to edit;
    /// with a file, check a lecture and print it with every default filled in.
    Lecture {
        /// Lecture file to check, or `-` for stdin.
        file: Option<String>,
    },
    /// Context-sensitive half-time per model over infusion durations (textbook, Hughes 1992:
    /// after an infusion that held the plasma concentration constant, the time for it to fall
    /// by half). A second column gives the half-time after a constant-RATE infusion of the same
    /// duration, a different and shorter quantity, for comparison.
    Csht {
        /// Model id (default: all models).
        #[arg(long)]
        model: Option<String>,
        /// Body weight, kg.
        #[arg(long, default_value_t = 70.0)]
        weight_kg: f64,
        /// Infusion durations, min.
        #[arg(long, value_delimiter = ',', default_values_t = [10.0, 20.0, 40.0, 60.0, 120.0, 240.0, 480.0])]
        durations_min: Vec<f64>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// A file error: `what` the file is (`scenario`, `output`) and its `path` (`-`: stdin).
fn io_err<'p>(what: &'static str, path: &'p str) -> impl FnOnce(std::io::Error) -> Error + 'p {
    move |e| Error::Io {
        what,
        path: path.into(),
        message: e.to_string(),
    }
}

fn json_err(e: serde_json::Error) -> Error {
    Error::Output {
        format: "JSON",
        message: e.to_string(),
    }
}

fn json<T: serde::Serialize>(v: &T) -> Result<String, Error> {
    serde_json::to_string_pretty(v).map_err(json_err)
}

fn run(cli: Cli) -> Result<(), Error> {
    let mut out = String::new();
    let mut target: Option<String> = None;
    match cli.command {
        Command::Simulate {
            scenario,
            preset,
            format,
            output,
        } => {
            let sc = load(scenario, preset)?;
            let r = simulate(&sc)?;
            out = match format {
                Format::Csv => export::to_csv(&r)?,
                Format::Json => export::to_json(&r)?,
                Format::Summary => summary(&sc, &r),
            };
            target = output;
        }
        Command::Population {
            scenario,
            preset,
            size,
            seed,
            serial,
            format,
            output,
        } => {
            let mut sc = load(scenario, preset)?;
            let mut spec = sc.population.take().unwrap_or(PopulationSpec::new(1000, 0));
            if let Some(n) = size {
                spec.size = n;
            }
            if let Some(s) = seed {
                spec.seed = s;
            }
            let total = u64::from(spec.size);
            sc.population = Some(spec);
            let bar = indicatif::ProgressBar::new(total);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} {pos}/{len} subjects [{elapsed_precise}] {wide_bar} {eta}",
                )
                .map_err(|e| Error::Output {
                    format: "progress bar",
                    message: e.to_string(),
                })?,
            );
            let r = population::simulate_population(&sc, !serial, &|d| bar.set_position(d));
            bar.finish_and_clear();
            let r = r?;
            if !r.failed.is_empty() && !matches!(format, Format::Summary) {
                // the bands and the JSON's `failed` list say it too; a CSV has no room for it
                eprintln!("warning: {}", failed_line(&r));
            }
            out = match format {
                Format::Csv => population_csv(&r),
                Format::Json => serde_json::to_string(&r).map_err(json_err)?,
                Format::Summary => population_summary(&r),
            };
            target = output;
        }
        Command::Models {
            weight_kg,
            json: as_json,
        } => {
            check_weight(weight_kg)?;
            if as_json {
                out = json(&models::all())?;
            } else {
                out.push_str(&format!(
                    "{:<12} {:<10} {:>8} {:>9} {:>10}  {:<28} citation\n",
                    "id", "sampling", "V1 L", "Vss L", "CL L/min", "half-lives min"
                ));
                for m in models::all() {
                    let d = m.derived(weight_kg)?;
                    let hl: Vec<String> =
                        d.half_lives_min.iter().map(|h| format!("{h:.3}")).collect();
                    let labels: std::collections::BTreeSet<&str> =
                        m.params.iter().map(|p| p.provenance.label()).collect();
                    out.push_str(&format!(
                        "{:<12} {:<10} {:>8.2} {:>9.1} {:>10.3}  {:<28} {} [{}]\n",
                        m.id,
                        m.sampling.label(),
                        d.v1_l,
                        d.vss_l,
                        d.cl_l_per_min,
                        hl.join(", "),
                        m.citation,
                        labels.into_iter().collect::<Vec<_>>().join(", ")
                    ));
                }
                out.push_str(&format!(
                    "\nDerived values at {weight_kg} kg. Educational model, not dosing advice.\n"
                ));
            }
        }
        Command::Presets { id } => {
            out = match id {
                Some(id) => json(&presets::get(&id)?.scenario)?,
                None => json(&presets::all())?,
            };
        }
        Command::Lecture { file } => {
            let lecture = match file {
                Some(path) => ketasim::lecture::Lecture::from_json(&read_scenario(&path)?)?,
                None => ketasim::lecture::Lecture::depression()?,
            };
            out = json(&lecture)?;
        }
        Command::Csht {
            model,
            weight_kg,
            durations_min,
        } => {
            check_weight(weight_kg)?;
            check_durations(&durations_min)?;
            let list: Vec<&ketasim::model::ModelSpec> = match model {
                Some(id) => vec![models::get(&id)?],
                None => models::all().iter().collect(),
            };
            out.push_str("model,infusion_duration_min,csht_min,constant_rate_half_time_min\n");
            for m in list {
                let textbook = csht::csht_curve(m, weight_kg, &durations_min)?;
                let rate = csht::constant_rate_curve(m, weight_kg, &durations_min)?;
                for ((d, h), (_, r)) in textbook.into_iter().zip(rate) {
                    out.push_str(&format!("{},{},{h:.4},{r:.4}\n", m.id, num(d)));
                }
            }
        }
    }
    match target {
        Some(path) => std::fs::write(&path, out).map_err(io_err("output", &path))?,
        None => {
            let mut so = std::io::stdout().lock();
            // a closed pipe (e.g. `| head`) is not an error worth a backtrace
            let _ = so.write_all(out.as_bytes());
        }
    }
    Ok(())
}

/// `--weight-kg`, within the scenario's limits (a weight of 0 would make every rate constant
/// infinite).
fn check_weight(weight_kg: f64) -> Result<(), Error> {
    let (lo, hi) = WEIGHT_KG;
    if weight_kg.is_finite() && (lo..=hi).contains(&weight_kg) {
        Ok(())
    } else {
        Err(Error::out_of_range("--weight-kg", weight_kg, lo, hi, "kg"))
    }
}

/// `--durations-min`: each an infusion duration within the scenario's limits.
fn check_durations(durations_min: &[f64]) -> Result<(), Error> {
    if durations_min.len() > MAX_CSHT_DURATIONS {
        return Err(Error::TooLarge {
            what: "--durations-min values".into(),
            value: durations_min.len() as u64,
            limit: MAX_CSHT_DURATIONS as u64,
        });
    }
    let (lo, hi) = ketasim::scenario::limits::DURATION_MIN;
    for (i, &d) in durations_min.iter().enumerate() {
        if !(d.is_finite() && (lo..=hi).contains(&d)) {
            return Err(Error::out_of_range(
                format!("--durations-min[{i}]"),
                d,
                lo,
                hi,
                "min",
            ));
        }
    }
    Ok(())
}

/// The scenario text of a file or stdin: at most [`MAX_JSON_BYTES`], UTF-8.
fn read_scenario(path: &str) -> Result<String, Error> {
    let mut bytes = Vec::new();
    let limit = MAX_JSON_BYTES as u64 + 4; // a byte-order mark does not count
    let read = if path == "-" {
        std::io::stdin().lock().take(limit).read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(limit).read_to_end(&mut bytes))
    };
    read.map_err(io_err("scenario", path))?;
    if bytes.len() as u64 >= limit {
        return Err(Error::TooLarge {
            what: format!("scenario {path}: bytes (a scenario is a few KB; is it the right file?)"),
            value: bytes.len() as u64,
            limit: MAX_JSON_BYTES as u64,
        });
    }
    String::from_utf8(bytes).map_err(|e| Error::Io {
        what: "scenario",
        path: path.into(),
        message: format!(
            "not UTF-8 text (byte {} is not valid UTF-8): save the file as UTF-8",
            e.utf8_error().valid_up_to()
        ),
    })
}

fn load(scenario: Option<String>, preset: Option<String>) -> Result<Scenario, Error> {
    match (scenario, preset) {
        (_, Some(id)) => Ok(presets::get(&id)?.scenario),
        (Some(path), None) => Scenario::from_json(&read_scenario(&path)?),
        (None, None) => Err(Error::invalid(
            "scenario",
            "give a scenario file, '-' for stdin, or --preset ID",
        )),
    }
}

fn population_csv(r: &population::PopulationResult) -> String {
    let mut s = String::from("t_min");
    let scale = |b: &population::Bands| {
        if b.quantity.unit == "fraction" {
            100.0
        } else {
            1.0
        }
    };
    for b in &r.bands {
        let name = match b.quantity.unit.as_str() {
            "fraction" => format!("{}_percent_model_derived", b.quantity.key),
            _ => format!("{}_ng_per_ml", b.quantity.key.replace(':', "_")),
        };
        for p in &r.percentiles {
            s.push_str(&format!(",{name}_p{p}"));
        }
    }
    s.push_str(",fraction_ce_above_threshold\n");
    for k in 0..r.t_min.len() {
        s.push_str(&num(r.t_min[k]));
        for b in &r.bands {
            for series in &b.series {
                s.push(',');
                s.push_str(&num(series[k] * scale(b)));
            }
        }
        s.push(',');
        s.push_str(&num(r.fraction_above[k]));
        s.push('\n');
    }
    s
}

/// How many subjects failed, and the first few with their parameters and error.
fn failed_line(r: &population::PopulationResult) -> String {
    const SHOWN: usize = 3;
    let mut s = format!(
        "{} of {} subjects failed and are left out of the bands and distributions (which come \
         from the other {}):",
        r.failed.len(),
        r.size,
        u64::from(r.size).saturating_sub(r.failed.len() as u64)
    );
    for f in r.failed.iter().take(SHOWN) {
        let factors: String = f
            .factors
            .iter()
            .map(|(p, x)| format!(", {p} × {}", num(*x)))
            .collect();
        s.push_str(&format!(
            "\n  subject {} (weight_kg = {}{factors}): {}",
            f.index,
            num(f.weight_kg),
            f.error
        ));
    }
    if r.failed.len() > SHOWN {
        s.push_str(&format!(
            "\n  … and {} more (all in the JSON output's \"failed\")",
            r.failed.len() - SHOWN
        ));
    }
    s
}

fn population_summary(r: &population::PopulationResult) -> String {
    let mut s = format!("{} subjects, seed {}\n", r.size, r.seed);
    if !r.failed.is_empty() {
        s.push_str(&failed_line(r));
        s.push('\n');
    }
    let line = |what: &str, d: &population::Distribution| {
        let p = &d.percentiles;
        format!(
            "{what}: 5th {:.1}, 25th {:.1}, median {:.1}, 75th {:.1}, 95th {:.1}",
            p[0], p[1], p[2], p[3], p[4]
        )
    };
    s.push_str(&line("Cmax ng/mL", &r.cmax));
    s.push('\n');
    if r.recovery.count > 0 {
        s.push_str(&line("recovery min after the last input", &r.recovery));
        s.push_str(&format!(
            " ({} of {} within the horizon)\n",
            r.recovery.count, r.size
        ));
    }
    let peak = r.fraction_above.iter().copied().fold(0.0, f64::max);
    s.push_str(&format!(
        "at most {:.0} % of subjects at or above {} ng/mL at the effect site at one time\n",
        100.0 * peak,
        r.threshold_ng_per_ml
    ));
    s.push_str("Educational model, not dosing advice.\n");
    s
}

fn summary(sc: &Scenario, r: &ketasim::SimulationResult) -> String {
    let mut s = format!(
        "{} — model {} ({:?}), ke0 {:.4} /min\n",
        printable(sc.name.as_deref().unwrap_or("scenario")),
        r.model_id,
        r.method,
        r.ke0_per_min
    );
    for a in &r.metrics.analytes {
        s.push_str(&format!(
            "{:<12} Cmax {:>9.2} ng/mL at {:>7.1} min; Ce,max {:>9.2} ng/mL at {:>7.1} min; \
             AUC0-t {:>9.2} ng·h/mL\n",
            a.id,
            a.cmax_ng_per_ml,
            a.tmax_min,
            a.ce_max_ng_per_ml,
            a.ce_tmax_min,
            a.auc_0_t_ng_h_per_ml
        ));
    }
    let m = &r.metrics;
    if r.drug_readout.analytes.len() > 1 {
        let d = &m.drug;
        s.push_str(&format!(
            "{:<12} Cmax {:>9.2} ng/mL at {:>7.1} min; Ce,max {:>9.2} ng/mL at {:>7.1} min \
             (the readouts below are this total of {})\n",
            d.id,
            d.cmax_ng_per_ml,
            d.tmax_min,
            d.ce_max_ng_per_ml,
            d.ce_tmax_min,
            r.drug_readout.analytes.join(" + ")
        ));
    }
    if m.peak_at_bolus {
        s.push_str(
            "note: the plasma peak is the instant after an IV bolus (instant mixing assumed); \
             the effect-site peak is the meaningful one\n",
        );
    }
    s.push_str(&format!(
        "NMDA occupancy (model-derived) max {:.1}% at {:.1} min\n\
         Effect site at or above the dissociative onset ({} ng/mL): {:.1} min\n",
        100.0 * m.occupancy_max,
        m.occupancy_tmax_min,
        m.dissociative_onset_ng_per_ml,
        m.dissociated_min
    ));
    match m.recovery.after_dosing_min {
        Some(t) => s.push_str(&format!(
            "Ce below {} ng/mL {:.1} min after dosing ended (t = {:.1} min)\n",
            m.recovery.threshold_ng_per_ml,
            t,
            m.recovery.dosing_end_min + t
        )),
        None => s.push_str(&format!(
            "Ce still above {} ng/mL at the horizon\n",
            m.recovery.threshold_ng_per_ml
        )),
    }
    for o in &m.tci {
        s.push_str(&format!(
            "TCI ({} target) {:.1}–{:.1} min: first rate {:.1} mg/h, dose {:.2} mg ({:.2} mL)\n",
            o.target.id(),
            o.start_min,
            o.end_min,
            o.first_rate_mg_per_h,
            o.dose_mg,
            o.volume_ml
        ));
        if let Some(ce) = o.implied_ce_ng_per_ml {
            s.push_str(&format!(
                "  the first occupancy target needs Ce {ce:.1} ng/mL of the drug alone \
                 (model-derived)\n"
            ));
        }
        for st in &o.steps {
            s.push_str(&format!(
                "  from {:.1} min: target {} {}: {}, past the target {}\n",
                st.from_min,
                st.target,
                o.unit,
                st.time_to_target_min
                    .map_or("not reached".into(), |t| format!(
                        "reached after {t:.2} min"
                    )),
                st.overshoot_percent
                    .map_or("n/a".into(), |p| format!("{p:.2} %"))
            ));
        }
    }
    if sc.patient.clearance_multiplier != 1.0 {
        s.push_str(&format!(
            "what-if: drug clearance × {} (ASSUMPTION, illustrative)\n",
            sc.patient.clearance_multiplier
        ));
    }
    if let Some(o) = r.sessions.iter().find_map(|x| x.observation.as_ref()) {
        s.push_str(&format!(
            "label: {} ({}, {}); the threshold above is the model's, not a discharge rule\n",
            o.rule,
            o.source,
            o.provenance.label()
        ));
    }
    for line in r.monitoring.summary_lines() {
        s.push_str(&line);
        s.push('\n');
    }
    for w in &r.warnings {
        s.push_str(&format!("warning: {w}\n"));
    }
    s.push_str("Educational model, not dosing advice.\n");
    s
}
