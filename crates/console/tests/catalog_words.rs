//! Every word a page asks for exists in both catalogs: a missing key would show as a
//! blank label or button to the person reading the page.

use marketdesk_core::Language;

fn literal_keys(text: &str) -> Vec<String> {
    let mut keys = Vec::new();
    for call in ["t(\"", "fill(\"", "t_or(\""] {
        let mut rest = text;
        while let Some(i) = rest.find(call) {
            rest = &rest[i + call.len()..];
            if let Some(end) = rest.find('"') {
                let key = &rest[..end];
                if key.contains('.') && !key.contains('{') {
                    keys.push(key.to_owned());
                }
            }
        }
    }
    keys
}

#[test]
fn every_console_word_is_in_both_catalogs() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut missing = Vec::new();
    let mut seen = 0;
    for dir in ["templates", "src"] {
        for entry in std::fs::read_dir(root.join(dir)).expect("folder") {
            let path = entry.expect("entry").path();
            let text = std::fs::read_to_string(&path).expect("text file");
            for key in literal_keys(&text) {
                seen += 1;
                for lang in Language::ALL {
                    if !lang.has(&format!("console.{key}")) {
                        missing.push(format!("{lang}: console.{key} ({})", path.display()));
                    }
                }
            }
        }
    }
    assert!(seen > 100, "the scan found the pages' words ({seen})");
    assert!(missing.is_empty(), "missing words:\n{}", missing.join("\n"));
}

/// The words made from stored names (states, kinds, progress, roles, actions): one per
/// name, in both languages.
#[test]
fn every_stored_name_has_a_word() {
    use marketdesk_core::aftersales::{CaseState, CaseType};
    use marketdesk_core::violation::Progress;
    use marketdesk_core::{Action, DelistKind, State};
    let mut keys: Vec<String> = Vec::new();
    keys.extend(State::ALL.iter().map(|s| format!("state.{}", s.as_str())));
    keys.extend(
        [
            DelistKind::Voluntary,
            DelistKind::Violation,
            DelistKind::Protective,
        ]
        .iter()
        .map(|k| format!("kind.{}", k.as_str())),
    );
    keys.extend(
        Progress::ALL
            .iter()
            .map(|p| format!("progress.{}", p.as_str())),
    );
    keys.extend(Action::ALL.iter().map(|a| format!("action.{}", a.as_str())));
    keys.extend(
        CaseState::ALL
            .iter()
            .map(|s| format!("case_state.{}", s.as_str())),
    );
    keys.extend(
        CaseType::ALL
            .iter()
            .map(|s| format!("case_type.{}", s.as_str())),
    );
    for role in ["admin", "reviewer", "cs_agent", "seller", "system"] {
        keys.push(format!("role.{role}"));
    }
    for lang in Language::ALL {
        for k in &keys {
            assert!(
                lang.has(&format!("console.{k}")),
                "{lang} lacks console.{k}"
            );
        }
    }
}
