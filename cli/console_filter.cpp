#include "cli/console_filter.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <utility>

namespace berth::cli {
namespace {

constexpr std::array<std::pair<std::string_view, filter_field>, 6> k_fields{{
    {"kind", filter_field::kind},
    {"name", filter_field::name},
    {"owner", filter_field::owner},
    {"mailbox", filter_field::mailbox},
    {"handled", filter_field::handled},
    {"rate", filter_field::rate},
}};

// Longest first, so that ">=" is not read as ">" followed by "=value".
constexpr std::array<std::pair<std::string_view, filter_op>, 6> k_ops{{
    {">=", filter_op::ge},
    {"<=", filter_op::le},
    {"!=", filter_op::ne},
    {"=", filter_op::eq},
    {">", filter_op::gt},
    {"<", filter_op::lt},
}};

bool is_text(filter_field f) { return f == filter_field::kind || f == filter_field::name || f == filter_field::owner; }

std::optional<double> parse_number(std::string_view text) {
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

template <class T>
bool compare(const T& a, filter_op op, const T& b) {
  switch (op) {
    case filter_op::eq: return a == b;
    case filter_op::ne: return a != b;
    case filter_op::gt: return a > b;
    case filter_op::ge: return a >= b;
    case filter_op::lt: return a < b;
    case filter_op::le: return a <= b;
  }
  return false;
}

bool matches_one(const actor_row& a, const actor_filter& f) {
  switch (f.field) {
    case filter_field::kind: return compare(a.kind, f.op, f.text);
    case filter_field::owner: return compare(a.owner, f.op, f.text);
    case filter_field::name: return (a.name.find(f.text) != std::string::npos) == (f.op == filter_op::eq);
    case filter_field::mailbox: return compare(static_cast<double>(a.mailbox), f.op, f.number);
    case filter_field::handled: return compare(static_cast<double>(a.handled), f.op, f.number);
    case filter_field::rate: return compare(a.rate, f.op, f.number);
  }
  return false;
}

}  // namespace

std::optional<actor_filter> parse_filter(std::string_view token, std::string& error) {
  auto at = token.find_first_of("=!<>");
  if (at == std::string_view::npos || at == 0) {
    error = fmt::format("{}: expected FIELD=VALUE or FIELD>N (e.g. kind=pod, name=web, mailbox>10)", token);
    return std::nullopt;
  }
  auto key = token.substr(0, at);
  auto field = std::find_if(k_fields.begin(), k_fields.end(), [&](const auto& f) { return f.first == key; });
  if (field == k_fields.end()) {
    error = fmt::format("{}: unknown field \"{}\" (known: kind, name, owner, mailbox, handled, rate)", token, key);
    return std::nullopt;
  }
  auto rest = token.substr(at);
  auto op = std::find_if(k_ops.begin(), k_ops.end(), [&](const auto& o) { return rest.rfind(o.first, 0) == 0; });
  if (op == k_ops.end()) {
    error = fmt::format("{}: unknown operator (use =, !=, >, >=, <, <=)", token);
    return std::nullopt;
  }
  auto value = rest.substr(op->first.size());
  if (value.empty()) {
    error = fmt::format("{}: missing value after \"{}\"", token, op->first);
    return std::nullopt;
  }
  actor_filter f{field->second, op->second, {}, 0};
  if (is_text(f.field)) {
    if (f.op != filter_op::eq && f.op != filter_op::ne) {
      error = fmt::format("{}: {} takes = or != (mailbox, handled and rate take >, >=, <, <= too)", token, key);
      return std::nullopt;
    }
    f.text = std::string(value);
    return f;
  }
  auto n = parse_number(value);
  if (!n) {
    error = fmt::format("{}: \"{}\" is not a number", token, value);
    return std::nullopt;
  }
  f.number = *n;
  return f;
}

std::optional<std::vector<actor_filter>> parse_filters(const std::vector<std::string>& tokens, std::string& error) {
  std::vector<actor_filter> out;
  for (const auto& t : tokens) {
    auto f = parse_filter(t, error);
    if (!f) return std::nullopt;
    out.push_back(std::move(*f));
  }
  return out;
}

bool matches(const actor_row& a, const std::vector<actor_filter>& filters) {
  return std::all_of(filters.begin(), filters.end(), [&](const actor_filter& f) { return matches_one(a, f); });
}

std::vector<actor_row> filter_actors(const std::vector<actor_row>& all, const std::vector<actor_filter>& filters) {
  std::vector<actor_row> out;
  std::copy_if(all.begin(), all.end(), std::back_inserter(out),
               [&](const actor_row& a) { return matches(a, filters); });
  return out;
}

std::optional<sort_key> parse_sort_key(std::string_view text) {
  if (text == "mailbox") return sort_key::mailbox;
  if (text == "rate") return sort_key::rate;
  return std::nullopt;
}

const char* sort_key_name(sort_key k) { return k == sort_key::mailbox ? "mailbox" : "rate"; }

void sort_actors(std::vector<actor_row>& rows, sort_key key) {
  auto by_mailbox = [](const actor_row& a) { return std::pair{static_cast<double>(a.mailbox), a.rate}; };
  auto by_rate = [](const actor_row& a) { return std::pair{a.rate, static_cast<double>(a.mailbox)}; };
  std::stable_sort(rows.begin(), rows.end(), [&](const actor_row& a, const actor_row& b) {
    auto ka = key == sort_key::mailbox ? by_mailbox(a) : by_rate(a);
    auto kb = key == sort_key::mailbox ? by_mailbox(b) : by_rate(b);
    if (ka != kb) return ka > kb;
    return a.name < b.name;
  });
}

std::optional<double> estimate_quantile(const histogram_row& h, double q) {
  std::uint64_t total = 0;
  for (auto c : h.counts) total += c;
  if (total == 0) return std::nullopt;
  double rank = q * static_cast<double>(total);
  std::uint64_t below = 0;
  for (std::size_t i = 0; i < h.counts.size(); ++i) {
    auto in_bucket = h.counts[i];
    if (in_bucket == 0 || static_cast<double>(below + in_bucket) < rank) {
      below += in_bucket;
      continue;
    }
    if (i >= h.bounds.size()) return std::numeric_limits<double>::infinity();
    double lower = i == 0 ? 0.0 : h.bounds[i - 1];
    double upper = h.bounds[i];
    return lower + (upper - lower) * (rank - static_cast<double>(below)) / static_cast<double>(in_bucket);
  }
  return std::numeric_limits<double>::infinity();
}

std::string format_seconds(double seconds) {
  double us = seconds * 1e6;
  if (us < 999.5) return fmt::format("{:.0f}µs", us);
  double ms = seconds * 1e3;
  if (ms < 9.95) return fmt::format("{:.1f}ms", ms);
  if (ms < 999.5) return fmt::format("{:.0f}ms", ms);
  return fmt::format("{:.1f}s", seconds);
}

std::string format_quantile(const histogram_row& h, double q) {
  auto v = estimate_quantile(h, q);
  if (!v) return "-";
  if (std::isinf(*v)) return h.bounds.empty() ? "-" : ">" + format_seconds(h.bounds.back());
  return format_seconds(*v);
}

}  // namespace berth::cli
