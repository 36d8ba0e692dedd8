//! `scripts/load.sh`, briefly: concurrent ormsh processes against
//! PostgreSQL commit, change, delete and read rows, and every committed row
//! is accounted for against the tallies they keep. (Run it for 60 s with 8
//! workers by hand: `scripts/load.sh`.)

use crate::common;

#[test]
fn load_script_accounts_for_every_row() {
    if !common::available(common::Kind::Postgres) {
        return;
    }
    let _server = common::server_gate::use_server();
    let url = std::env::var("ORMSH_TEST_POSTGRES_URL").unwrap();
    let out = std::process::Command::new("bash")
        .arg("scripts/load.sh")
        .arg(&url)
        .env("LOAD_WORKERS", "3")
        .env("LOAD_SECONDS", "2")
        .env("ORMSH_BIN", assert_cmd::cargo::cargo_bin("ormsh"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("every committed row is accounted for") && stdout.contains("errors: 0"),
        "{stdout}"
    );
}
