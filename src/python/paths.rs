//! POSIX paths as Python's `posixpath` and `pathlib` compute them:
//! `join`, `dirname`, `normpath`, and a `pathlib.Path`'s attributes.

use super::value::Value;

/// `posixpath.join`: an absolute part starts over.
pub(super) fn join(parts: &[&str]) -> String {
    let mut out = String::new();
    for (i, p) in parts.iter().enumerate() {
        if p.starts_with('/') || i == 0 {
            out = p.to_string();
        } else if out.is_empty() || out.ends_with('/') {
            out.push_str(p);
        } else {
            out.push('/');
            out.push_str(p);
        }
    }
    out
}

/// `posixpath.dirname`.
pub(super) fn dirname(p: &str) -> String {
    let head = &p[..p.rfind('/').map_or(0, |i| i + 1)];
    if !head.is_empty() && head.chars().any(|c| c != '/') {
        head.trim_end_matches('/').to_string()
    } else {
        head.to_string()
    }
}

/// `posixpath.normpath`: `.` and empty parts dropped, `..` taken back.
pub(super) fn normpath(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let initial = if p.starts_with("//") && !p.starts_with("///") {
        "//"
    } else if p.starts_with('/') {
        "/"
    } else {
        ""
    };
    let mut parts: Vec<&str> = Vec::new();
    for comp in p.split('/') {
        match comp {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else if initial.is_empty() {
                    parts.push("..");
                }
            }
            c => parts.push(c),
        }
    }
    let out = format!("{initial}{}", parts.join("/"));
    if out.is_empty() { ".".into() } else { out }
}

/// `Path("a//b/")` is `a/b`: the separators pathlib folds (`..` stays).
pub(super) fn normpath_keep_relative(p: &str) -> String {
    let absolute = p.starts_with('/');
    let parts: Vec<&str> = p
        .split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect();
    match (absolute, parts.is_empty()) {
        (true, _) => format!("/{}", parts.join("/")),
        (false, true) => ".".to_string(),
        (false, false) => parts.join("/"),
    }
}

/// `.parent`, `.name`, `.stem`, `.suffix` of a path.
pub(super) fn path_attribute(p: &str, attr: &str) -> Result<Value, String> {
    let name = p.rsplit('/').next().unwrap_or(p).to_string();
    let (stem, suffix) = match name.rfind('.') {
        Some(i) if i > 0 => (name[..i].to_string(), name[i..].to_string()),
        _ => (name.clone(), String::new()),
    };
    Ok(match attr {
        "parent" => Value::Path(match p.rfind('/') {
            Some(0) => "/".to_string(),
            Some(i) => p[..i].to_string(),
            None => ".".to_string(),
        }),
        "name" => Value::Str(name),
        "stem" => Value::Str(stem),
        "suffix" => Value::Str(suffix),
        _ => {
            return Err(format!(
                "`.{attr}` of a path, which the reader does not read"
            ));
        }
    })
}
