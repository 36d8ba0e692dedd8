//! Where a project's prompt history lives: the user's data folder, one file
//! per project, readable by the owner alone.

use std::path::{Path, PathBuf};

/// The history file for the project at `root` (created with mode 0600).
pub fn history_file(root: &Path) -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "ormsh")?;
    let folder = dirs.data_dir().join("history");
    std::fs::create_dir_all(&folder).ok()?;
    let name: String = root
        .display()
        .to_string()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let path = folder.join(format!("{}.history", name.trim_matches('_')));
    if !path.exists() {
        std::fs::write(&path, "").ok()?;
    }
    restrict(&path);
    Some(path)
}

#[cfg(unix)]
fn restrict(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
}

#[cfg(not(unix))]
fn restrict(_: &Path) {}
