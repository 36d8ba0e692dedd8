//! Any text as a models file: a registry or an error, never a panic (a
//! file that loops is stopped by the operations budget).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(source) = std::str::from_utf8(data) {
        let _ = ormsh::script::declare_models(source, 20_000);
    }
});
