#pragma once
// The one way berth turns a kj::Exception into a message for people. Only
// code that already uses KJ includes this header (meson: kj_text_dep); it is
// header-only so that berth_text itself never depends on KJ.

#include <string>
#include <string_view>

#include <kj/exception.h>

namespace berth::text {

/// The exception's description without the "remote exception: " prefix KJ
/// adds to errors that crossed a Cap'n Proto connection: berthd's and the
/// runtimes' messages are already written for people, and where the error
/// came from is for the caller to say ("berthd at ...: ").
inline std::string describe(const kj::Exception& e) {
  std::string text = e.getDescription().cStr();
  constexpr std::string_view prefix = "remote exception: ";
  if (text.rfind(prefix, 0) == 0) text.erase(0, prefix.size());
  return text;
}

}  // namespace berth::text
