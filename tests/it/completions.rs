//! The committed completion scripts are what `ormsh completions SHELL` prints.

#[test]
fn committed_completions_match_the_binary() {
    for shell in ["bash", "zsh", "fish"] {
        let committed = std::fs::read_to_string(format!("completions/ormsh.{shell}")).unwrap();
        let out = assert_cmd::Command::cargo_bin("ormsh")
            .unwrap()
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(out.status.success());
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            committed,
            "completions/ormsh.{shell} is stale: regenerate it with `ormsh completions {shell} > completions/ormsh.{shell}`"
        );
    }
}
