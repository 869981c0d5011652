//! `marketdesk classify [FILE|-]` as an outside tool drives it: a TSV in, one
//! `reason_code<TAB>text` line per row out, in order, with no server and no database.

use std::io::Write;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_marketdesk");

/// Runs in an empty folder with no database configured, so anything that reached for a
/// data directory or a server would fail or leave files behind.
fn classify(dir: &std::path::Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(BIN)
        .arg("classify")
        .args(args)
        .current_dir(dir)
        .env_remove("MARKETDESK_DATABASE_URL")
        .env_remove("MARKETDESK_DATA_DIR")
        // The allocator's own diagnostics would add lines to stderr.
        .env_remove("MIMALLOC_VERBOSE")
        .env_remove("MIMALLOC_SHOW_STATS")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.unwrap_or("").as_bytes()).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn lines(out: &Output) -> Vec<(String, String)> {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| {
            let (code, text) = l.split_once('\t').expect("reason_code<TAB>text");
            (code.to_string(), text.to_string())
        })
        .collect()
}

/// Texts a seller or reviewer would write, each plainly about one reason.
const ROWS: [(&str, &str); 6] = [
    ("没货了，先下架，补货后再上", "out_of_stock"),
    (
        "Fake brand logo, this is a counterfeit of the original",
        "counterfeit",
    ),
    ("主图用了别人家的图片，还有水印", "image_violation"),
    (
        "winter coats off for the summer, back in autumn",
        "seasonal",
    ),
    ("缺少3C认证证书，资质没上传", "missing_certification"),
    ("listing went up by mistake, wrong account", "other"),
];

#[test]
fn a_tsv_gets_one_code_per_row_in_order_without_a_server_or_database() {
    let dir = tempfile::tempdir().unwrap();
    // The text column is not the first, and other columns are ignored.
    let mut tsv = String::from("id\ttext\tnote\n");
    for (i, (text, _)) in ROWS.iter().enumerate() {
        tsv.push_str(&format!("{i}\t{text}\tignored\n"));
    }
    std::fs::write(dir.path().join("reasons.tsv"), &tsv).unwrap();
    let got = lines(&classify(dir.path(), &["reasons.tsv"], None));
    let want: Vec<(String, String)> = ROWS
        .iter()
        .map(|(text, code)| (code.to_string(), text.to_string()))
        .collect();
    assert_eq!(got, want);
    // Nothing but the input is in the folder: no data directory, no database file.
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, vec![std::ffi::OsString::from("reasons.tsv")]);

    // Standard input, as `-` and as no argument at all; CRLF line ends read the same.
    let crlf = tsv.replace('\n', "\r\n");
    assert_eq!(lines(&classify(dir.path(), &["-"], Some(&crlf))), want);
    assert_eq!(lines(&classify(dir.path(), &[], Some(&tsv))), want);
}

#[test]
fn a_labelled_file_reports_accuracy_per_code() {
    let heldout = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/classifier/heldout.tsv"
    );
    let dir = tempfile::tempdir().unwrap();
    let out = classify(dir.path(), &[heldout], None);
    let rows = lines(&out).len();
    let input = std::fs::read_to_string(heldout).unwrap();
    assert_eq!(rows, input.lines().count() - 1, "one line per row");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let per_code: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("accuracy\t") && l.split('\t').count() == 4)
        .collect();
    assert_eq!(per_code.len(), 14, "a line per reason code: {stderr}");
    // Each code holds up on its own, not only on average (the weakest, slow_selling, is
    // at 93.8 % with the committed model: it is read as out_of_stock now and then).
    for line in &per_code {
        let (correct, total) = line.rsplit('\t').next().unwrap().split_once('/').unwrap();
        let share = correct.parse::<f64>().unwrap() / total.parse::<f64>().unwrap();
        assert!(share >= 0.90, "{line}");
    }
    let overall = stderr
        .lines()
        .find(|l| l.starts_with("accuracy\t") && l.split('\t').count() == 3)
        .expect("overall accuracy");
    let (correct, total) = overall
        .rsplit('\t')
        .next()
        .unwrap()
        .split_once('/')
        .unwrap();
    let (correct, total): (f64, f64) = (correct.parse().unwrap(), total.parse().unwrap());
    assert!(
        correct / total >= 0.95,
        "the committed model on its own held-out split: {overall}"
    );
}

#[test]
fn bad_input_is_one_error_line_and_a_failing_exit() {
    let dir = tempfile::tempdir().unwrap();
    for (args, stdin, says) in [
        (vec!["-"], "id\tnote\n1\tx\n", "no \"text\" column"),
        (vec!["-"], "", "empty"),
        (vec!["missing.tsv"], "", "missing.tsv"),
        (vec!["-"], "reason_code\ttext\nnot_a_code\tx\n", "line 2"),
    ] {
        let out = classify(dir.path(), &args, Some(stdin));
        assert!(!out.status.success(), "{args:?} {stdin:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        let err: Vec<&str> = err.lines().collect();
        assert_eq!(err.len(), 1, "{err:?}");
        assert!(
            err[0].starts_with("error:") && err[0].contains(says),
            "{err:?}"
        );
        assert!(out.stdout.is_empty(), "nothing printed for a refused input");
    }
}
