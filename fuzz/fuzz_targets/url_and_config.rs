//! Any text as a database URL and as an `ormsh.toml`: an answer or an
//! error, never a panic; a URL that parses masks its password.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(url) = ormsh::app::DatabaseUrl::parse(text, Path::new("/tmp/instance")) {
        let masked = url.masked();
        if let Some(password) = url.password().filter(|p| p.len() > 3) {
            assert!(!masked.contains(password), "{masked} shows the password");
        }
        let _ = url.connect_url();
        let _ = url.remote_host();
        let _ = url.sqlite_read_only();
    }
    let _ = ormsh::app::Config::parse(text, Path::new("ormsh.toml"));
});
