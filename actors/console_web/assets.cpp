#include "actors/console_web/assets.hpp"

namespace berth::console_web {

std::optional<asset> find_asset(std::string_view path) {
  // The page links its script and style by absolute path, so that both
  // "/console" and "/console/" load them from the same place.
  if (path == "/console" || path == "/console/") return asset{"text/html; charset=utf-8", k_console_html};
  if (path == "/console/console.js") return asset{"text/javascript; charset=utf-8", k_console_js};
  if (path == "/console/console.css") return asset{"text/css; charset=utf-8", k_console_css};
  return std::nullopt;
}

}  // namespace berth::console_web
