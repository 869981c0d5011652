//! Training, cross-validation and evaluation, for `marketdesk classify --train` and
//! `--cross-validate`. The model is linfa's multinomial logistic regression over the
//! features of [`crate::features`], each text's vector scaled to unit length.

use std::collections::{BTreeMap, HashMap};

use linfa::prelude::*;
use linfa_logistic::MultiLogisticRegression;
use marketdesk_core::ReasonCode;
use ndarray::{Array1, Array2};

use crate::{Classifier, Featurizer, Model};

/// One labelled text.
#[derive(Debug, Clone)]
pub struct Sample {
    pub code: ReasonCode,
    pub text: String,
}

#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// A feature is kept when at least this many training texts have it.
    pub min_texts: usize,
    /// L2 penalty.
    pub alpha: f64,
    pub max_iterations: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            min_texts: 2,
            alpha: 1.0,
            max_iterations: 300,
        }
    }
}

pub fn train(samples: &[Sample], settings: Settings) -> Result<Model, String> {
    if samples.is_empty() {
        return Err("no training texts".into());
    }
    let featurizer = Featurizer::new();
    let docs: Vec<Vec<String>> = samples
        .iter()
        .map(|s| featurizer.features(&s.text))
        .collect();
    let mut texts_with: HashMap<&str, usize> = HashMap::new();
    for d in &docs {
        for f in d {
            *texts_with.entry(f.as_str()).or_default() += 1;
        }
    }
    let mut vocab: Vec<&str> = texts_with
        .iter()
        .filter(|(_, n)| **n >= settings.min_texts)
        .map(|(f, _)| *f)
        .collect();
    vocab.sort_unstable();
    let column: HashMap<&str, usize> = vocab.iter().enumerate().map(|(i, f)| (*f, i)).collect();
    let mut x = Array2::<f64>::zeros((docs.len(), vocab.len()));
    for (row, d) in docs.iter().enumerate() {
        let scale = 1.0 / (d.len().max(1) as f64).sqrt();
        for f in d {
            if let Some(&col) = column.get(f.as_str()) {
                x[[row, col]] = scale;
            }
        }
    }
    let class_of = |c: ReasonCode| ReasonCode::ALL.iter().position(|r| *r == c).unwrap_or(0);
    let y: Array1<usize> = samples.iter().map(|s| class_of(s.code)).collect();
    let fitted = MultiLogisticRegression::default()
        .alpha(settings.alpha)
        .max_iterations(settings.max_iterations)
        .fit(&Dataset::new(x, y))
        .map_err(|e| format!("training failed: {e}"))?;
    let classes: Vec<ReasonCode> = fitted
        .classes()
        .iter()
        .map(|&i| ReasonCode::ALL[i])
        .collect();
    let params = fitted.params();
    let mut weights = Vec::with_capacity(vocab.len() * classes.len());
    let mut index = HashMap::new();
    for (row, f) in vocab.iter().enumerate() {
        index.insert((*f).to_string(), row);
        weights.extend(params.row(row).iter().map(|w| *w as f32));
    }
    Ok(Model {
        classes,
        intercepts: fitted.intercept().iter().map(|b| *b as f32).collect(),
        index,
        weights,
    })
}

/// How a classifier did on labelled texts.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// (expected, predicted) → how many.
    pub confusion: BTreeMap<(&'static str, &'static str), usize>,
}

impl Report {
    pub fn add(&mut self, expected: ReasonCode, predicted: ReasonCode) {
        *self
            .confusion
            .entry((expected.as_str(), predicted.as_str()))
            .or_default() += 1;
    }

    pub fn merge(&mut self, other: &Report) {
        for (k, n) in &other.confusion {
            *self.confusion.entry(*k).or_default() += n;
        }
    }

    pub fn total(&self) -> usize {
        self.confusion.values().sum()
    }

    pub fn correct(&self) -> usize {
        self.confusion
            .iter()
            .filter(|((e, p), _)| e == p)
            .map(|(_, n)| n)
            .sum()
    }

    /// Per expected code: (texts, correct).
    pub fn per_code(&self) -> BTreeMap<&'static str, (usize, usize)> {
        let mut out: BTreeMap<&'static str, (usize, usize)> = BTreeMap::new();
        for ((e, p), n) in &self.confusion {
            let entry = out.entry(e).or_default();
            entry.0 += n;
            if e == p {
                entry.1 += n;
            }
        }
        out
    }

    /// The report as text: accuracy overall and per code, then the confusions (expected →
    /// predicted, most frequent first).
    pub fn render(&self) -> String {
        let mut out = String::new();
        let pct = |c: usize, t: usize| 100.0 * c as f64 / t.max(1) as f64;
        out.push_str(&format!(
            "accuracy\t{:.2}%\t{}/{}\n",
            pct(self.correct(), self.total()),
            self.correct(),
            self.total()
        ));
        for (code, (t, c)) in self.per_code() {
            out.push_str(&format!("accuracy\t{code}\t{:.2}%\t{c}/{t}\n", pct(c, t)));
        }
        let mut wrong: Vec<(&(&str, &str), &usize)> =
            self.confusion.iter().filter(|((e, p), _)| e != p).collect();
        wrong.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for ((e, p), n) in wrong {
            out.push_str(&format!("confused\t{e}\t→ {p}\t{n}\n"));
        }
        out
    }
}

pub fn evaluate(classifier: &Classifier, samples: &[Sample]) -> Report {
    let mut r = Report::default();
    for s in samples {
        r.add(s.code, classifier.classify(&s.text).best.code);
    }
    r
}

/// Stratified k-fold cross-validation: each code's texts are dealt round the folds in
/// their order (the data file's order is already shuffled by its generator), each fold
/// is scored by a model trained on the others.
pub fn cross_validate(
    samples: &[Sample],
    folds: usize,
    settings: Settings,
) -> Result<Report, String> {
    let folds = folds.max(2);
    let mut seen: HashMap<ReasonCode, usize> = HashMap::new();
    let fold_of: Vec<usize> = samples
        .iter()
        .map(|s| {
            let n = seen.entry(s.code).or_default();
            *n += 1;
            (*n - 1) % folds
        })
        .collect();
    let mut total = Report::default();
    for k in 0..folds {
        let (test, train_set): (Vec<_>, Vec<_>) =
            samples.iter().zip(&fold_of).partition(|(_, f)| **f == k);
        let train_set: Vec<Sample> = train_set.into_iter().map(|(s, _)| s.clone()).collect();
        let test: Vec<Sample> = test.into_iter().map(|(s, _)| s.clone()).collect();
        let model = train(&train_set, settings)?;
        total.merge(&evaluate(&Classifier::new(model), &test));
    }
    Ok(total)
}
