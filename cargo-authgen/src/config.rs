//! Where a project keeps its pages: found from the current folder, configured in
//! `authgen.toml` or `[package.metadata.authgen]` (or `[workspace.metadata.authgen]`), with the
//! defaults this repository uses.
//!
//! ```toml
//! # authgen.toml (every key optional; paths relative to this file's folder)
//! specs = "specs"                      # provider folders with pages and manifests
//! descriptors = "specs/descriptors"    # where descriptors are written
//! generated = "generated"              # where embeddable Rust is written; false for none
//! ```

use std::path::{Path, PathBuf};

use authgen_descriptor::parse::Layout;
use serde::Deserialize;

/// The settings, as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    specs: Option<PathBuf>,
    descriptors: Option<PathBuf>,
    generated: Option<Generated>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Generated {
    Folder(PathBuf),
    Enabled(bool),
}

/// A project: its root folder and layout, and where the settings came from.
#[derive(Debug, Clone)]
pub struct Project {
    /// The layout `regen` and `check` use.
    pub layout: Layout,
    /// Where the settings were read (`None`: defaults).
    pub settings_file: Option<PathBuf>,
}

/// Finds the project containing `start`: the nearest folder with an `authgen.toml`, else the
/// nearest `Cargo.toml` with an `authgen` metadata table, else the nearest folder with a
/// `specs` folder, else `start`. `specs` (from `--specs`) overrides the configured folder.
pub fn find(start: &Path, specs: Option<&Path>) -> Result<Project, String> {
    let mut found: Option<(PathBuf, Settings, Option<PathBuf>)> = None;
    for dir in start.ancestors() {
        let file = dir.join("authgen.toml");
        if file.is_file() {
            let text = read(&file)?;
            let settings = toml::from_str(&text)
                .map_err(|e| format!("{}: invalid settings: {}", file.display(), e.message()))?;
            found = Some((dir.to_path_buf(), settings, Some(file)));
            break;
        }
        let cargo = dir.join("Cargo.toml");
        if cargo.is_file()
            && let Some(settings) = cargo_metadata(&cargo)?
        {
            found = Some((dir.to_path_buf(), settings, Some(cargo)));
            break;
        }
    }
    let (root, settings, settings_file) = found.unwrap_or_else(|| {
        let root = start
            .ancestors()
            .find(|d| d.join("specs").is_dir())
            .unwrap_or(start)
            .to_path_buf();
        (root, Settings::default(), None)
    });
    let specs = match specs {
        Some(given) => start.join(given),
        None => root.join(settings.specs.unwrap_or_else(|| PathBuf::from("specs"))),
    };
    let mut layout = Layout::under(&specs);
    layout.root = root.clone();
    if let Some(d) = settings.descriptors {
        layout.descriptors = root.join(d);
    }
    layout.generated = match settings.generated {
        None => Some(root.join("generated")),
        Some(Generated::Folder(folder)) => Some(root.join(folder)),
        Some(Generated::Enabled(true)) => Some(root.join("generated")),
        Some(Generated::Enabled(false)) => None,
    };
    Ok(Project {
        layout,
        settings_file,
    })
}

fn read(file: &Path) -> Result<String, String> {
    std::fs::read_to_string(file).map_err(|e| format!("cannot read {}: {e}", file.display()))
}

/// The `authgen` table of `[package.metadata]` or `[workspace.metadata]`, if any.
fn cargo_metadata(cargo: &Path) -> Result<Option<Settings>, String> {
    let text = read(cargo)?;
    let value: toml::Value = toml::from_str(&text)
        .map_err(|e| format!("{}: invalid TOML: {}", cargo.display(), e.message()))?;
    let table = ["package", "workspace"]
        .iter()
        .find_map(|section| value.get(section)?.get("metadata")?.get("authgen").cloned());
    table
        .map(|t| {
            t.try_into().map_err(|e: toml::de::Error| {
                format!(
                    "{}: invalid [metadata.authgen]: {}",
                    cargo.display(),
                    e.message()
                )
            })
        })
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("authgen-config-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("sub/deeper")).unwrap_or_default();
        dir
    }

    #[test]
    fn settings_come_from_authgen_toml_or_cargo_metadata_else_defaults() {
        let dir = temp("toml");
        std::fs::write(
            dir.join("authgen.toml"),
            "specs = \"docs/pages\"\ngenerated = false\n",
        )
        .unwrap_or_default();
        let project = find(&dir.join("sub/deeper"), None).ok();
        let layout = project.map(|p| p.layout);
        assert_eq!(
            layout.as_ref().map(|l| l.specs.clone()),
            Some(dir.join("docs/pages"))
        );
        assert_eq!(layout.and_then(|l| l.generated), None);

        let dir = temp("cargo");
        std::fs::write(
            dir.join("Cargo.toml"),
            "[package]\nname = \"x\"\n[package.metadata.authgen]\ngenerated = \"src/clients\"\n",
        )
        .unwrap_or_default();
        let layout = find(&dir.join("sub"), None).ok().map(|p| p.layout);
        assert_eq!(
            layout.and_then(|l| l.generated),
            Some(dir.join("src/clients"))
        );

        let dir = temp("defaults");
        std::fs::create_dir_all(dir.join("specs")).unwrap_or_default();
        let layout = find(&dir.join("sub/deeper"), None).ok().map(|p| p.layout);
        assert_eq!(
            layout.as_ref().map(|l| l.descriptors.clone()),
            Some(dir.join("specs/descriptors"))
        );
        assert_eq!(
            layout.and_then(|l| l.generated),
            Some(dir.join("generated"))
        );
    }

    #[test]
    fn bad_settings_name_the_file() {
        let dir = temp("bad");
        std::fs::write(dir.join("authgen.toml"), "spec = \"x\"\n").unwrap_or_default();
        let err = find(&dir, None).err().unwrap_or_default();
        assert!(
            err.contains("authgen.toml") && err.contains("spec"),
            "{err}"
        );
    }
}
