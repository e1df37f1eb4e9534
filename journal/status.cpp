#include "journal/status.hpp"

namespace berth::journal {

const char* to_string(error_code c) {
  switch (c) {
    case error_code::io: return "io";
    case error_code::corruption: return "corruption";
    case error_code::not_found: return "not_found";
    case error_code::invalid_argument: return "invalid_argument";
    case error_code::closed: return "closed";
    case error_code::full: return "full";
  }
  return "unknown";
}

std::string status::to_string() const {
  if (ok_) return "ok";
  return std::string(journal::to_string(error_.code)) + ": " + error_.message;
}

}  // namespace berth::journal
