//! The README's usage examples run verbatim, in order, on the bundled sample.

use assert_cmd::Command;
use std::path::Path;

/// The `cibscan …` lines of the README's Usage block: (arguments, file to redirect stdout to).
fn usage_lines(readme: &str) -> Vec<(Vec<String>, Option<String>)> {
    let usage = &readme[readme.find("## Usage").expect("a Usage section")..];
    let block = usage.split("```sh").nth(1).and_then(|b| b.split("```").next()).expect("a sh block");
    block
        .lines()
        .filter_map(|l| l.trim().strip_prefix("cibscan "))
        .map(|l| {
            // Trailing comments are two spaces and `#`.
            let l = l.split("  #").next().unwrap_or("").trim();
            let (cmd, to) = match l.split_once(" > ") {
                Some((c, f)) => (c, Some(f.trim().to_string())),
                None => (l, None),
            };
            (cmd.split_whitespace().map(str::to_string).collect(), to)
        })
        .collect()
}

#[test]
fn readme_usage_runs_verbatim_on_the_bundled_sample() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let lines = usage_lines(&readme);
    assert!(lines.len() >= 15, "{lines:?}");
    let tmp = tempfile::tempdir().unwrap();
    // The commands name `samples/…` from the repository root; outputs go to the temporary folder.
    #[cfg(unix)]
    std::os::unix::fs::symlink(root.join("samples").canonicalize().unwrap(), tmp.path().join("samples")).unwrap();
    #[cfg(not(unix))]
    return;
    for (args, to) in lines {
        let o = Command::cargo_bin("cibscan").unwrap().current_dir(tmp.path()).arg("-q").args(&args).output().unwrap();
        assert!(o.status.success(), "cibscan {}: {}", args.join(" "), String::from_utf8_lossy(&o.stderr));
        if let Some(file) = to {
            std::fs::write(tmp.path().join(file), &o.stdout).unwrap();
        }
    }
    for written in ["run/report.html", "run/takedown.csv", "assess/assessment.csv", "disclosure/manifest.json"] {
        assert!(tmp.path().join(written).is_file(), "{written}");
    }
}
