//! `list`: what the checked-in descriptors offer — providers, endpoints, methods and paths,
//! which endpoints issue tokens, and what each needs from the user.

use std::process::ExitCode;

use authgen_descriptor::Descriptor;
use authgen_descriptor::model::Role;
use authgen_descriptor::parse::Layout;

/// Prints every descriptor of the layout.
pub fn list(layout: &Layout) -> Result<ExitCode, String> {
    let entries = std::fs::read_dir(&layout.descriptors).map_err(|e| {
        format!(
            "cannot read {}: {e} (run regen first)",
            layout.display(&layout.descriptors)
        )
    })?;
    let mut files: Vec<_> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    if files.is_empty() {
        println!("no descriptors in {}", layout.display(&layout.descriptors));
    }
    for file in files {
        let text = std::fs::read_to_string(&file)
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        let descriptor =
            Descriptor::from_json(&text).map_err(|e| format!("{}: {e}", layout.display(&file)))?;
        print!("{}", describe(&descriptor));
    }
    Ok(ExitCode::SUCCESS)
}

/// The listing of one descriptor.
pub fn describe(descriptor: &Descriptor) -> String {
    let mut out = format!(
        "{} ({} endpoint{})\n",
        descriptor.provider,
        descriptor.endpoints.len(),
        if descriptor.endpoints.len() == 1 {
            ""
        } else {
            "s"
        }
    );
    for e in &descriptor.endpoints {
        let kind = if e.issues_token() { "token" } else { "call " };
        out.push_str(&format!(
            "  {kind} {:<6} {:<40} {}\n",
            e.method.as_str(),
            e.path,
            e.name
        ));
        let mut needs: Vec<String> = Vec::new();
        if let Some(basic) = &e.basic_auth {
            needs.push(format!("HTTP Basic {}:{}", basic.user, basic.password));
        }
        for p in &e.params {
            let what = match &p.role {
                Role::Credential => "credential",
                Role::PerCall => "per call",
                Role::FilledFrom(_) | Role::Constant(_) | Role::ClientAuth => continue,
            };
            needs.push(format!(
                "{}{} ({what}{})",
                p.name,
                if p.required { "" } else { "?" },
                if p.secret { ", secret" } else { "" }
            ));
        }
        let filled: Vec<&str> = e
            .params
            .iter()
            .filter_map(|p| p.role.filled_from())
            .collect();
        if !needs.is_empty() {
            out.push_str(&format!("        needs: {}\n", needs.join(", ")));
        }
        if !filled.is_empty() {
            out.push_str(&format!(
                "        uses the token of: {}\n",
                filled.join(", ")
            ));
        }
        if let Some(token) = &e.token {
            out.push_str(&format!(
                "        issues: {}{}\n",
                token.path,
                if token.header {
                    " (response header)"
                } else {
                    ""
                }
            ));
        }
    }
    out
}
