//! Text → features. Reason texts are short, colloquial, mixed Chinese and English and
//! full of typos, so a text gives several overlapping views of itself: jieba's words
//! (taught the domain's words, which its own dictionary splits — 下架 becomes 下 + 架),
//! Chinese character pairs (robust to a wrong segmentation or a homophone typo), English
//! words and word pairs, and English letter triples (robust to a swapped or dropped
//! letter). The model weighs them; none is a keyword rule.

use jieba_rs::Jieba;

/// The domain's words, in jieba's user-dictionary format (`word freq tag`).
const DOMAIN_WORDS: &str = include_str!("../data/reason_words.txt");

pub struct Featurizer {
    jieba: Jieba,
}

impl Default for Featurizer {
    fn default() -> Self {
        Self::new()
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

/// Lower case, full-width forms folded to ASCII (`ＣＥ`, `１００％`), everything that is
/// neither a letter, a digit nor CJK turned into a space.
pub fn normalise(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(' '),
            '\u{3000}' => ' ',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .map(|c| {
            if c.is_alphanumeric() || is_cjk(c) {
                c
            } else {
                ' '
            }
        })
        .collect()
}

impl Featurizer {
    /// An empty jieba (no 20 MB general dictionary: loading it takes longer than
    /// classifying thousands of texts) with the domain's words; its HMM still finds
    /// words it was not taught.
    pub fn new() -> Featurizer {
        let mut jieba = Jieba::empty();
        for line in DOMAIN_WORDS.lines() {
            let mut parts = line.split_whitespace();
            let Some(word) = parts.next() else { continue };
            let freq = parts.next().and_then(|f| f.parse().ok());
            let tag = parts.next();
            jieba.add_word(word, freq, tag);
        }
        Featurizer { jieba }
    }

    /// The features of a text, each at most once, in a stable order.
    pub fn features(&self, text: &str) -> Vec<String> {
        let norm = normalise(text);
        let mut out: Vec<String> = Vec::with_capacity(64);
        let mut latin_words: Vec<&str> = Vec::new();
        for chunk in norm.split_whitespace() {
            // A chunk may mix scripts ("ce证书"): split it into runs of one script.
            let mut start = 0;
            let mut runs: Vec<(&str, bool)> = Vec::new();
            let mut prev: Option<bool> = None;
            for (i, c) in chunk.char_indices() {
                let cjk = is_cjk(c);
                if prev.is_some_and(|p| p != cjk) {
                    runs.push((&chunk[start..i], prev.unwrap_or(false)));
                    start = i;
                }
                prev = Some(cjk);
            }
            if start < chunk.len() {
                runs.push((&chunk[start..], prev.unwrap_or(false)));
            }
            for (run, cjk) in runs {
                if cjk {
                    self.chinese(run, &mut out);
                } else {
                    latin_words.push(run);
                }
            }
        }
        for w in &latin_words {
            out.push(format!("w:{w}"));
            if w.chars().all(|c| c.is_ascii_digit()) {
                continue;
            }
            let padded: Vec<char> = format!("<{w}>").chars().collect();
            for tri in padded.windows(3) {
                out.push(format!("t:{}", tri.iter().collect::<String>()));
            }
        }
        for pair in latin_words.windows(2) {
            out.push(format!("b:{} {}", pair[0], pair[1]));
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    fn chinese(&self, run: &str, out: &mut Vec<String>) {
        for token in self.jieba.cut(run, true) {
            out.push(format!("w:{}", token.word));
        }
        let chars: Vec<char> = run.chars().collect();
        for c in &chars {
            out.push(format!("c:{c}"));
        }
        for pair in chars.windows(2) {
            out.push(format!("c:{}{}", pair[0], pair[1]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_domain_words_stay_whole() {
        let f = Featurizer::new();
        let feats = f.features("库存没了，先下架");
        assert!(feats.contains(&"w:下架".to_string()), "{feats:?}");
        assert!(feats.contains(&"c:库存".to_string()), "{feats:?}");
    }

    #[test]
    fn mixed_scripts_full_width_and_case_are_folded() {
        let f = Featurizer::new();
        let feats = f.features("ＣＥ证书 Missing!!");
        for want in ["w:ce", "w:missing", "t:<mi", "b:ce missing", "c:证书"] {
            assert!(feats.contains(&want.to_string()), "{want} not in {feats:?}");
        }
    }

    #[test]
    fn an_empty_text_has_no_features() {
        assert!(Featurizer::new().features("  ，。!! ").is_empty());
    }
}
