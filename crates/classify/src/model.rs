//! The trained weights as a small text file: a header naming the classes in column
//! order, the intercepts, then one line per feature. Text, so a retrained model's diff
//! shows which features moved; four decimals, which changes no prediction on the
//! held-out split (checked when the model is written).

use std::collections::HashMap;
use std::fmt::Write as _;

use marketdesk_core::ReasonCode;

const MAGIC: &str = "marketdesk-reason-model 1";

#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub classes: Vec<ReasonCode>,
    pub intercepts: Vec<f32>,
    /// Feature → its row of weights (one per class).
    pub index: HashMap<String, usize>,
    pub weights: Vec<f32>,
}

impl Model {
    pub fn weights_of(&self, feature: &str) -> Option<&[f32]> {
        let k = self.classes.len();
        self.index
            .get(feature)
            .map(|&row| &self.weights[row * k..(row + 1) * k])
    }

    pub fn parse(text: &str) -> Result<Model, String> {
        let mut lines = text.lines();
        if lines.next() != Some(MAGIC) {
            return Err(format!(
                "not a reason model: the first line must be {MAGIC:?}"
            ));
        }
        let classes = lines
            .next()
            .and_then(|l| l.strip_prefix("classes\t"))
            .ok_or("the second line must list the classes")?
            .split('\t')
            .map(str::parse::<ReasonCode>)
            .collect::<Result<Vec<_>, _>>()?;
        let k = classes.len();
        let floats = |s: &str, line: usize| -> Result<Vec<f32>, String> {
            let v = s
                .split(' ')
                .map(|x| x.parse::<f32>().map_err(|e| format!("line {line}: {e}")))
                .collect::<Result<Vec<f32>, String>>()?;
            if v.len() != k {
                return Err(format!("line {line}: {} weights for {k} classes", v.len()));
            }
            Ok(v)
        };
        let intercepts = floats(
            lines
                .next()
                .and_then(|l| l.strip_prefix("intercept\t"))
                .ok_or("the third line must give the intercepts")?,
            3,
        )?;
        let mut index = HashMap::new();
        let mut weights = Vec::new();
        for (i, line) in lines.enumerate() {
            let (feature, w) = line
                .rsplit_once('\t')
                .ok_or_else(|| format!("line {}: no tab", i + 4))?;
            index.insert(feature.to_string(), index.len());
            weights.extend(floats(w, i + 4)?);
        }
        Ok(Model {
            classes,
            intercepts,
            index,
            weights,
        })
    }

    pub fn write(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{MAGIC}");
        let names: Vec<&str> = self.classes.iter().map(|c| c.as_str()).collect();
        let _ = writeln!(out, "classes\t{}", names.join("\t"));
        let _ = writeln!(out, "intercept\t{}", join(&self.intercepts));
        let mut features: Vec<(&String, &usize)> = self.index.iter().collect();
        features.sort();
        for (f, _) in features {
            if let Some(w) = self.weights_of(f) {
                let _ = writeln!(out, "{f}\t{}", join(w));
            }
        }
        out
    }
}

fn join(w: &[f32]) -> String {
    w.iter()
        .map(|x| {
            let s = format!("{x:.4}");
            if s == "-0.0000" {
                "0.0000".to_string()
            } else {
                s
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}
