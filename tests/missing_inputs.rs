//! The tests' rule for a missing external input (`common::require`): under `CI=true` the test
//! fails, naming what is missing and how to install it; elsewhere it says `SKIPPED` out loud
//! and returns. Each case runs the helper in a child process (this test binary again, running
//! only the ignored `child_runs_the_helper`), since under CI the helper panics.

mod common;

use std::process::Command;

/// What the child does: `absent`, `present` or `shared` (with `../shared` pretended absent).
const CASE: &str = "ARKIVAR_TEST_CHILD_CASE";
const WHAT: &str = "the frobnicator";
const INSTALL: &str = "apt-get install frobnicator";

#[test]
#[ignore = "the child process of the other tests in this file"]
fn child_runs_the_helper() {
    let went_on = match std::env::var(CASE).as_deref() {
        Ok("absent") => common::require(WHAT, false, INSTALL),
        Ok("present") => common::require(WHAT, true, INSTALL),
        Ok("shared") => common::shared().is_some(),
        _ => return,
    };
    println!("CHILD WENT ON: {went_on}");
}

/// Whether the child passed, and what it printed (stdout, then stderr).
fn child(case: &str, ci: Option<&str>) -> (bool, String) {
    let mut cmd = Command::new(std::env::current_exe().expect("the test binary"));
    cmd.args([
        "child_runs_the_helper",
        "--exact",
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ])
    .env(CASE, case)
    .env_remove("CI")
    .env_remove(common::PRETEND_ABSENT);
    if case == "shared" {
        cmd.env(common::PRETEND_ABSENT, "shared");
    }
    if let Some(ci) = ci {
        cmd.env("CI", ci);
    }
    let out = cmd.output().expect("the child runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn a_missing_input_fails_under_ci_naming_it_and_its_install() {
    let (passed, text) = child("absent", Some("true"));
    assert!(!passed, "{text}");
    assert!(text.contains(&format!("missing: {WHAT}")), "{text}");
    assert!(text.contains(INSTALL), "{text}");
    assert!(text.contains("CI=true allows no skipped tests"), "{text}");
    assert!(!text.contains("CHILD WENT ON"), "{text}");
    assert!(!text.contains("SKIPPED"), "{text}");
}

#[test]
fn a_missing_input_skips_out_loud_outside_ci() {
    for ci in [None, Some("false"), Some("")] {
        let (passed, text) = child("absent", ci);
        assert!(passed, "CI={ci:?}: {text}");
        assert!(
            text.contains(&format!(
                "SKIPPED child_runs_the_helper (missing: {WHAT}; {INSTALL}"
            )),
            "CI={ci:?}: {text}"
        );
        assert!(text.contains("CHILD WENT ON: false"), "CI={ci:?}: {text}");
    }
}

#[test]
fn a_present_input_goes_on_under_ci() {
    let (passed, text) = child("present", Some("true"));
    assert!(passed, "{text}");
    assert!(text.contains("CHILD WENT ON: true"), "{text}");
    assert!(!text.contains("SKIPPED"), "{text}");
}

#[test]
fn an_absent_shared_folder_fails_under_ci_and_skips_elsewhere() {
    let (passed, text) = child("shared", Some("true"));
    assert!(!passed, "{text}");
    assert!(text.contains("missing: ../shared"), "{text}");
    let (passed, text) = child("shared", None);
    assert!(passed, "{text}");
    assert!(text.contains("SKIPPED"), "{text}");
    assert!(text.contains("CHILD WENT ON: false"), "{text}");
}
