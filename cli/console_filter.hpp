#pragma once
// The console's actor filters (`actors kind=pod name=web mailbox>10`), the
// `top` sort orders and the processing-time quantile estimate. Pure.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/console_model.hpp"

namespace berth::cli {

enum class filter_field : std::uint8_t { kind, name, owner, mailbox, handled, rate };
enum class filter_op : std::uint8_t { eq, ne, gt, ge, lt, le };

/// One condition. Text fields (kind, owner: exact; name: substring) take = and
/// !=; numeric fields (mailbox, handled, rate) take every operator.
struct actor_filter {
  filter_field field = filter_field::kind;
  filter_op op = filter_op::eq;
  std::string text;   // text fields
  double number = 0;  // numeric fields
  bool operator==(const actor_filter&) const = default;
};

/// Parses one filter token ("mailbox>=10"); nullopt and `error` naming the
/// token otherwise (`mailbox>x: "x" is not a number`).
std::optional<actor_filter> parse_filter(std::string_view token, std::string& error);

/// Parses every token (all must be filters); the first bad one sets `error`.
std::optional<std::vector<actor_filter>> parse_filters(const std::vector<std::string>& tokens, std::string& error);

/// True when `a` passes every filter.
bool matches(const actor_row& a, const std::vector<actor_filter>& filters);

/// The actors that pass, in their order.
std::vector<actor_row> filter_actors(const std::vector<actor_row>& all, const std::vector<actor_filter>& filters);

enum class sort_key : std::uint8_t { mailbox, rate };

/// "mailbox" / "rate" → the key; nullopt otherwise.
std::optional<sort_key> parse_sort_key(std::string_view text);
const char* sort_key_name(sort_key k);

/// Sorts by `key` descending (ties: the other key descending, then by name).
void sort_actors(std::vector<actor_row>& rows, sort_key key);

/// The q-quantile (0 < q <= 1) of a histogram as Prometheus's
/// histogram_quantile estimates it: linear within the bucket holding the
/// rank, the first bucket starting at 0. nullopt for an empty histogram;
/// +infinity when the rank falls in the overflow bucket.
std::optional<double> estimate_quantile(const histogram_row& h, double q);

/// A duration in seconds for the table: "7µs", "450µs", "1.2ms", "35ms", "1.5s".
std::string format_seconds(double seconds);

/// estimate_quantile as table text: "-" (no messages), ">5s" (overflow bucket).
std::string format_quantile(const histogram_row& h, double q);

}  // namespace berth::cli
