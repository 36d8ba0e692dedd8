//! The user's own preferences, for every project: `config.toml` in the
//! user's config folder (found with `directories`, e.g.
//! `~/.config/ormsh/config.toml`; `ORMSH_CONFIG` names another file).
//! Flags on the command line win over it.
//!
//! ```toml
//! edit_mode = "vi"          # or "emacs" (the default)
//! format = "vertical"       # table, vertical, json, csv, markdown
//! pager = "less -SRXF"      # or false for none
//! color = true              # false: never colour
//! theme = "dark"            # or "light": the prompt's colours
//! ```

use std::path::PathBuf;

use serde::Deserialize;

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EditMode {
    #[default]
    Emacs,
    Vi,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    #[default]
    Dark,
    Light,
}

/// `pager = "less -R"` or `pager = false`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum PagerSetting {
    On(bool),
    Command(String),
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Preferences {
    #[serde(default)]
    pub edit_mode: EditMode,
    pub format: Option<String>,
    pub pager: Option<PagerSetting>,
    pub color: Option<bool>,
    #[serde(default)]
    pub theme: Theme,
}

impl Preferences {
    /// The file: `ORMSH_CONFIG`, else `config.toml` in the user's config folder.
    pub fn path() -> Option<PathBuf> {
        if let Some(p) = std::env::var_os("ORMSH_CONFIG") {
            return Some(PathBuf::from(p));
        }
        directories::ProjectDirs::from("", "", "ormsh").map(|d| d.config_dir().join("config.toml"))
    }

    /// The preferences, or the defaults when there is no file.
    pub fn load() -> Result<Preferences> {
        let Some(path) = Self::path() else {
            return Ok(Preferences::default());
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Preferences::default());
            }
            Err(e) => return Err(Error::Io { path, source: e }),
        };
        toml::from_str(&text)
            .map_err(|e| Error::Config(format!("{}: {}", path.display(), e.to_string().trim_end())))
    }

    /// The pager command, or none when paging is turned off.
    pub fn pager_command(&self) -> Option<String> {
        match &self.pager {
            Some(PagerSetting::On(false)) => None,
            Some(PagerSetting::Command(c)) => Some(c.clone()),
            _ => Some(std::env::var("PAGER").unwrap_or_else(|_| "less -SRXF".to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_setting() {
        let p: Preferences = toml::from_str(
            "edit_mode = \"vi\"\nformat = \"json\"\npager = false\ncolor = false\ntheme = \"light\"\n",
        )
        .unwrap();
        assert_eq!(p.edit_mode, EditMode::Vi);
        assert_eq!(p.format.as_deref(), Some("json"));
        assert_eq!(p.pager_command(), None);
        assert_eq!(p.color, Some(false));
        assert_eq!(p.theme, Theme::Light);
        let p: Preferences = toml::from_str("pager = \"more\"").unwrap();
        assert_eq!(p.pager_command().as_deref(), Some("more"));
        assert!(toml::from_str::<Preferences>("colour = true").is_err());
    }
}
