#include "actors/model/quantity.hpp"

#include <array>
#include <cctype>
#include <limits>

namespace berth::model {
namespace {

using i128 = __int128;

constexpr std::int64_t k_max = std::numeric_limits<std::int64_t>::max();
constexpr const char* k_syntax_error =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

struct binary_suffix {
  const char* text;
  int power_of_1024;
};
constexpr std::array<binary_suffix, 6> k_binary = {{{"Ki", 1}, {"Mi", 2}, {"Gi", 3}, {"Ti", 4}, {"Pi", 5}, {"Ei", 6}}};

struct decimal_suffix {
  const char* text;
  int power_of_10;
};
constexpr std::array<decimal_suffix, 7> k_decimal = {
    {{"m", -3}, {"k", 3}, {"M", 6}, {"G", 9}, {"T", 12}, {"P", 15}, {"E", 18}}};

i128 pow_i128(i128 base, int exp) {
  i128 r = 1;
  while (exp-- > 0) r *= base;
  return r;
}

std::optional<quantity> fail(std::string* error, const char* message) {
  if (error) *error = message;
  return std::nullopt;
}

/// The multiplier of a suffix as (numerator, power of ten); false when unknown.
bool parse_suffix(std::string_view s, i128& factor, int& pow10, quantity::suffix_family& family) {
  factor = 1;
  pow10 = 0;
  family = quantity::suffix_family::decimal;
  if (s.empty()) return true;
  for (const auto& b : k_binary) {
    if (s == b.text) {
      factor = pow_i128(1024, b.power_of_1024);
      family = quantity::suffix_family::binary;
      return true;
    }
  }
  for (const auto& d : k_decimal) {
    if (s == d.text) {
      pow10 = d.power_of_10;
      return true;
    }
  }
  if (s[0] == 'e' || s[0] == 'E') {  // decimal exponent: e3, E-2, e+6
    std::string_view rest = s.substr(1);
    bool negative = false;
    if (!rest.empty() && (rest[0] == '+' || rest[0] == '-')) {
      negative = rest[0] == '-';
      rest.remove_prefix(1);
    }
    if (rest.empty() || rest.size() > 3) return false;
    int e = 0;
    for (char c : rest) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return false;
      e = e * 10 + (c - '0');
    }
    pow10 = negative ? -e : e;
    return true;
  }
  return false;
}

}  // namespace

std::int64_t quantity::value() const {
  // Round up, as Kubernetes' Value() does ("100m" of cpu is one whole cpu).
  if (milli >= 0) return milli / 1000 + (milli % 1000 != 0 ? 1 : 0);
  return milli / 1000;
}

std::optional<quantity> parse_quantity(std::string_view text, std::string* error) {
  std::string_view s = text;
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  // <digits> | <digits>.<digits> | <digits>. | .<digits>, at most 18 significant digits.
  i128 mantissa = 0;
  int fraction_digits = 0, digits = 0;
  bool seen_point = false;
  std::size_t i = 0;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c == '.' && !seen_point) {
      seen_point = true;
      continue;
    }
    if (!std::isdigit(static_cast<unsigned char>(c))) break;
    if (mantissa == 0 && c == '0' && !seen_point) continue;  // leading zeros
    // 19 digits: every int64 milli value prints (to_string) and parses back;
    // mantissa (< 10^19) × 1024^6 (< 2^60) still fits the 128-bit arithmetic.
    if (++digits > 19) return fail(error, "quantity has too many digits (at most 19)");
    mantissa = mantissa * 10 + (c - '0');
    if (seen_point) ++fraction_digits;
  }
  bool has_digit = false;
  for (std::size_t j = 0; j < i; ++j) has_digit |= std::isdigit(static_cast<unsigned char>(s[j])) != 0;
  if (!has_digit) return fail(error, k_syntax_error);

  quantity q;
  i128 factor = 1;
  int pow10 = 0;
  if (!parse_suffix(s.substr(i), factor, pow10, q.family)) return fail(error, k_syntax_error);

  // milli = mantissa * factor * 10^(pow10 + 3 - fraction_digits), rounded up.
  // A negative magnitude may reach 2^63 (int64's minimum).
  const i128 limit = negative ? i128{k_max} + 1 : i128{k_max};
  int exp10 = pow10 + 3 - fraction_digits;
  i128 value = mantissa * factor;
  if (exp10 >= 0) {
    for (int k = 0; k < exp10; ++k) {
      value *= 10;
      if (value > limit) return fail(error, "quantity too large");
    }
  } else {
    i128 divisor = pow_i128(10, -exp10 > 38 ? 38 : -exp10);
    value = value / divisor + (value % divisor != 0 ? 1 : 0);
  }
  if (value > limit) return fail(error, "quantity too large");
  q.milli = static_cast<std::int64_t>(negative ? -value : value);
  // The binary family is only kept for values binary suffixes can print
  // (non-zero whole multiples of 1Ki); "0Mi" and "0.5Ki" print as decimal
  // ("0", "512"), so they are decimal, or parse(to_string(q)) != q.
  constexpr std::int64_t k_milli_per_ki = 1'024'000;
  if (q.family == quantity::suffix_family::binary && (q.milli == 0 || q.milli % k_milli_per_ki != 0))
    q.family = quantity::suffix_family::decimal;
  return q;
}

std::string to_string(const quantity& q) {
  if (q.milli % 1000 != 0) return std::to_string(q.milli) + "m";
  std::int64_t v = q.milli / 1000;
  if (v == 0) return "0";
  if (q.family == quantity::suffix_family::binary) {
    for (auto it = k_binary.rbegin(); it != k_binary.rend(); ++it) {
      auto unit = static_cast<std::int64_t>(pow_i128(1024, it->power_of_1024));
      if (v % unit == 0) return std::to_string(v / unit) + it->text;
    }
  }
  for (auto it = k_decimal.rbegin(); it != k_decimal.rend(); ++it) {
    if (it->power_of_10 < 0) continue;
    auto unit = static_cast<std::int64_t>(pow_i128(10, it->power_of_10));
    if (v % unit == 0) return std::to_string(v / unit) + it->text;
  }
  return std::to_string(v);
}

}  // namespace berth::model
