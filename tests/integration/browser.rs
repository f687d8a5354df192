//! Opens pages in headless Chromium (Debian's `chromium`, installed by `.ci/run`) and returns
//! the DOM after the page's scripts ran.

use std::path::Path;
use std::process::Command;

fn chromium() -> Option<String> {
    if let Ok(path) = std::env::var("CHROMIUM") {
        return Some(path);
    }
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|name| Command::new(name).arg("--version").output().is_ok_and(|o| o.status.success()))
        .map(String::from)
}

/// The rendered DOM, or `None` when no Chromium is installed and `T2D_REQUIRE_CHROMIUM` is unset
/// (CI sets it, so there a missing browser fails the test instead of skipping it).
pub(crate) fn rendered_dom(page: &Path) -> Option<String> {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("T2D_REQUIRE_CHROMIUM").is_none(),
            "T2D_REQUIRE_CHROMIUM is set but no Chromium was found: `apt-get install chromium` or set CHROMIUM"
        );
        eprintln!("SKIPPED: no Chromium to render {} (apt-get install chromium)", page.display());
        return None;
    };
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(&browser)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--virtual-time-budget=10000"])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(page)
        .output()
        .unwrap();
    assert!(out.status.success(), "{browser}: {}", String::from_utf8_lossy(&out.stderr));
    Some(String::from_utf8(out.stdout).unwrap())
}

/// The value of `name="…"` on the first `<tag …>` of `html`.
pub(crate) fn attribute(html: &str, tag: &str, name: &str) -> Option<String> {
    let start = html.find(&format!("<{tag}"))?;
    let open = &html[start..start + html[start..].find('>')?];
    let from = open.find(&format!("{name}=\""))? + name.len() + 2;
    Some(open[from..from + open[from..].find('"')?].to_string())
}
