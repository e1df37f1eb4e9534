#include "cli/format.hpp"

#include <fmt/format.h>

#include <ctime>

namespace berth::cli {
namespace {

constexpr std::int64_t k_second = 1'000'000'000;

}  // namespace

std::string object_name(const actors::any_object& o) {
  return fmt::format("{}/{}", model::singular_name(actors::kind_of(o)), actors::meta_of(o).name);
}

std::string quoted_name(actors::kind k, const std::string& name) {
  return fmt::format("{} \"{}\"", model::singular_name(k), name);
}

std::string format_time(model::time_ns t) {
  if (t == 0) return "<unset>";
  std::time_t seconds = static_cast<std::time_t>(t / k_second);
  if (t < 0 && t % k_second != 0) --seconds;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

}  // namespace berth::cli
