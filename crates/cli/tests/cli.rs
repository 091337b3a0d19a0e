//! The built `scanlens` binary, driven as CI drives it: arguments in, output and exit code out.

use std::process::Command;

fn scanlens(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_scanlens")).args(args).output().expect("run scanlens")
}

#[test]
fn version_names_the_package_version() {
    let out = scanlens(&["--version"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("scanlens {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn unknown_command_is_an_error_with_exit_code_2() {
    let out = scanlens(&["frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown command \"frobnicate\""));
}
