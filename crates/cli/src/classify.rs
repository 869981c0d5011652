//! `marketdesk classify`: reason texts from a TSV to reason codes, with no server or
//! database. With labelled rows (a `reason_code` column) it also reports accuracy per
//! code on standard error; `--train` and `--cross-validate` rebuild and check the model
//! from the project's training set.

use std::io::{Read, Write};
use std::path::PathBuf;

use anyhow::{Context, bail};
use marketdesk_classify::train::{self, Report, Sample, Settings};
use marketdesk_classify::{Classifier, Model, read_tsv};

#[derive(clap::Args, Debug)]
pub struct ClassifyArgs {
    /// A TSV whose header row names a `text` column; `-` or nothing reads standard input.
    pub file: Option<PathBuf>,
    /// Train a model on this labelled TSV (`reason_code` and `text` columns) and write it
    /// to `--model-out`; prints accuracy on FILE when one is given.
    #[arg(long, value_name = "TRAIN_TSV")]
    pub train: Option<PathBuf>,
    /// Where `--train` writes the model.
    #[arg(long, default_value = "crates/classify/model/reasons.model")]
    pub model_out: PathBuf,
    /// Stratified k-fold cross-validation on `--train`'s set: prints accuracy and the
    /// confusions, writes no model.
    #[arg(long, value_name = "K")]
    pub cross_validate: Option<usize>,
    /// Classify with this model file instead of the one built in.
    #[arg(long)]
    pub model: Option<PathBuf>,
}

fn read_input(file: Option<&PathBuf>) -> anyhow::Result<String> {
    match file {
        Some(p) if p.as_os_str() != "-" => {
            std::fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))
        }
        _ => {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .context("cannot read standard input")?;
            Ok(s)
        }
    }
}

fn labelled(path: &PathBuf) -> anyhow::Result<Vec<Sample>> {
    let rows = read_tsv(&read_input(Some(path))?)
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    rows.into_iter()
        .enumerate()
        .map(|(i, (code, text))| match code {
            Some(code) => Ok(Sample { code, text }),
            None => bail!("{}: row {} has no reason_code", path.display(), i + 1),
        })
        .collect()
}

pub fn run(args: ClassifyArgs) -> anyhow::Result<()> {
    if let Some(set) = &args.train {
        let samples = labelled(set)?;
        if let Some(k) = args.cross_validate {
            if !(2..=20).contains(&k) {
                bail!("--cross-validate takes 2 to 20 folds, not {k}");
            }
            let started = std::time::Instant::now();
            let report = train::cross_validate(&samples, k, Settings::default())
                .map_err(|e| anyhow::anyhow!(e))?;
            eprintln!(
                "{k}-fold stratified cross-validation over {} texts ({:.1} s)",
                samples.len(),
                started.elapsed().as_secs_f64()
            );
            print!("{}", report.render());
            return Ok(());
        }
        let model = train::train(&samples, Settings::default()).map_err(|e| anyhow::anyhow!(e))?;
        let text = model.write();
        // What is written is what ships: reload the rounded weights before judging them.
        let written = Model::parse(&text).map_err(|e| anyhow::anyhow!(e))?;
        std::fs::write(&args.model_out, &text)
            .with_context(|| format!("cannot write {}", args.model_out.display()))?;
        eprintln!(
            "model: {} features × {} codes → {} ({} bytes)",
            written.index.len(),
            written.classes.len(),
            args.model_out.display(),
            text.len()
        );
        let trained = train::evaluate(&Classifier::new(written.clone()), &samples);
        eprintln!(
            "training-set accuracy {}/{}",
            trained.correct(),
            trained.total()
        );
        if let Some(file) = &args.file {
            let report = train::evaluate(&Classifier::new(written), &labelled(file)?);
            print!("{}", report.render());
        }
        return Ok(());
    }
    if args.cross_validate.is_some() {
        bail!("--cross-validate needs --train TRAIN_TSV");
    }
    let own;
    let classifier = match &args.model {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("cannot read {}", p.display()))?;
            own = Classifier::new(
                Model::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?,
            );
            &own
        }
        None => Classifier::shared(),
    };
    let rows = read_tsv(&read_input(args.file.as_ref())?).map_err(|e| anyhow::anyhow!(e))?;
    let mut report = Report::default();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for (code, text) in &rows {
        let got = classifier.classify(text).best.code;
        writeln!(out, "{}\t{text}", got.as_str())?;
        if let Some(expected) = code {
            report.add(*expected, got);
        }
    }
    out.flush()?;
    if report.total() > 0 {
        eprint!("{}", report.render());
    }
    Ok(())
}
