#include "actors/reconcile/field_selector.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include <fmt/format.h>

#include "actors/reconcile/pod_facts.hpp"

namespace berth::reconcile {
namespace {

constexpr std::array<pod_field, 4> k_fields = {pod_field::name, pod_field::namespace_, pod_field::node_name,
                                               pod_field::phase};

/// Trims spaces and reports how many were cut from the front (for offsets).
std::string_view trim(std::string_view s, std::size_t& cut_front) {
  auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  cut_front = 0;
  while (!s.empty() && space(s.front())) {
    s.remove_prefix(1);
    ++cut_front;
  }
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

std::string supported_fields() {
  std::vector<std::string> names;
  for (auto f : k_fields) names.emplace_back(field_name(f));
  return fmt::format("{}", fmt::join(names, ", "));
}

/// Parses one comma-free term that starts at `offset` in the whole text.
result<field_requirement> parse_term(std::string_view raw, std::size_t offset) {
  using r = result<field_requirement>;
  std::size_t cut = 0;
  const std::string_view term = trim(raw, cut);
  offset += cut;
  const auto op = term.find_first_of("!=");
  if (term.empty() || op == std::string_view::npos) {
    return r::failure(
        fmt::format("invalid field selector term \"{}\" at offset {}: expected "
                    "\"=\", \"==\" or \"!=\"",
                    term, offset));
  }
  field_requirement out;
  std::size_t op_len = 1;
  if (term[op] == '!') {
    if (op + 1 >= term.size() || term[op + 1] != '=') {
      return r::failure(fmt::format("unexpected \"!\" at offset {}, expected \"!=\"", offset + op));
    }
    out.negated = true;
    op_len = 2;
  } else if (op + 1 < term.size() && term[op + 1] == '=') {
    op_len = 2;
  }
  std::size_t unused = 0;
  const std::string_view field = trim(term.substr(0, op), unused);
  const auto known =
      std::find_if(k_fields.begin(), k_fields.end(), [&](pod_field f) { return field == field_name(f); });
  if (known == k_fields.end()) {
    return r::failure(fmt::format("field label not supported: \"{}\" (supported: {})", field, supported_fields()));
  }
  out.field = *known;
  out.value = std::string(trim(term.substr(op + op_len), unused));
  return r::success(std::move(out));
}

std::string_view field_value(pod_field f, const model::pod& p) {
  switch (f) {
    case pod_field::name: return p.metadata.name;
    case pod_field::namespace_: return p.metadata.namespace_;
    case pod_field::node_name: return p.spec.node_name;
    case pod_field::phase: return model::phase_name(p.status.phase);
  }
  return {};
}

}  // namespace

const char* field_name(pod_field f) {
  switch (f) {
    case pod_field::name: return "metadata.name";
    case pod_field::namespace_: return "metadata.namespace";
    case pod_field::node_name: return "spec.nodeName";
    case pod_field::phase: return "status.phase";
  }
  return "";
}

result<field_selector> parse_field_selector(std::string_view text) {
  field_selector s;
  std::size_t cut = 0;
  if (trim(text, cut).empty()) return result<field_selector>::success(s);
  std::size_t start = 0;
  for (;;) {
    const auto comma = text.find(',', start);
    const auto end = comma == std::string_view::npos ? text.size() : comma;
    auto term = parse_term(text.substr(start, end - start), start);
    if (!term.ok()) return result<field_selector>::failure(term.error());
    s.requirements.push_back(term.value());
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return result<field_selector>::success(std::move(s));
}

bool matches(const field_selector& s, const model::pod& p) {
  return std::all_of(s.requirements.begin(), s.requirements.end(),
                     [&](const auto& r) { return (field_value(r.field, p) == r.value) != r.negated; });
}

bool metadata_only(const field_selector& s) {
  return std::all_of(s.requirements.begin(), s.requirements.end(), [](const auto& r) {
    return r.field == pod_field::name || r.field == pod_field::namespace_;
  });
}

bool matches(const field_selector& s, const model::object_meta& m) {
  return std::all_of(s.requirements.begin(), s.requirements.end(), [&](const auto& r) {
    const std::string_view value = r.field == pod_field::name ? m.name : m.namespace_;
    return (value == r.value) != r.negated;
  });
}

std::string to_string(const field_selector& s) {
  std::vector<std::string> parts;
  for (const auto& r : s.requirements) {
    parts.push_back(fmt::format("{}{}{}", field_name(r.field), r.negated ? "!=" : "=", r.value));
  }
  return fmt::format("{}", fmt::join(parts, ","));
}

}  // namespace berth::reconcile
