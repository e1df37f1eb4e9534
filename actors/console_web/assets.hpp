#pragma once
// The web console's page, embedded in the binary: the constants are defined
// in the .cpp that embed_assets.py generates at build time from
// console.html, console.js and console.css (this folder).

#include <optional>
#include <string_view>

namespace berth::console_web {

/// The asset files' bytes (generated; static storage, never freed).
extern const std::string_view k_console_html;
extern const std::string_view k_console_js;
extern const std::string_view k_console_css;

/// One file of the page as served over HTTP.
struct asset {
  std::string_view content_type;
  std::string_view body;  // static storage
};

/// The asset served at `path` ("/console", "/console/", "/console/console.js",
/// "/console/console.css"); nullopt for any other path.
std::optional<asset> find_asset(std::string_view path);

}  // namespace berth::console_web
