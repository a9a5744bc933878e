//! `openapi [PROVIDER] [--out DIR]`: the descriptors as OpenAPI 3.1 documents.

use std::path::Path;
use std::process::ExitCode;

use authgen_descriptor::Descriptor;
use authgen_descriptor::parse::Layout;

/// Writes `<provider>.json` (or `.yaml`) into `out` (default: the layout's OpenAPI folder) for
/// one provider or every descriptor.
pub fn export(
    layout: &Layout,
    provider: Option<&str>,
    out: Option<&Path>,
    yaml: bool,
) -> Result<ExitCode, String> {
    let out = out.unwrap_or(&layout.openapi);
    let mut files: Vec<_> = std::fs::read_dir(&layout.descriptors)
        .map_err(|e| {
            format!(
                "cannot read {}: {e} (run regen first)",
                layout.display(&layout.descriptors)
            )
        })?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .filter(|p| provider.is_none_or(|name| p.file_stem().is_some_and(|s| s == name)))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(match provider {
            Some(name) => format!(
                "no descriptor `{name}` in {}",
                layout.display(&layout.descriptors)
            ),
            None => format!("no descriptors in {}", layout.display(&layout.descriptors)),
        });
    }
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    for file in files {
        let text = std::fs::read_to_string(&file)
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        let descriptor =
            Descriptor::from_json(&text).map_err(|e| format!("{}: {e}", layout.display(&file)))?;
        let document = authgen_descriptor::openapi::export(&descriptor);
        let (text, extension) = if yaml {
            (authgen_descriptor::openapi::to_yaml(&document), "yaml")
        } else {
            let mut json = serde_json::to_string_pretty(&document).map_err(|e| e.to_string())?;
            json.push('\n');
            (json, "json")
        };
        let target = out.join(format!("{}.{extension}", descriptor.provider));
        std::fs::write(&target, text)
            .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
        eprintln!("wrote {}", layout.display(&target));
    }
    Ok(ExitCode::SUCCESS)
}
