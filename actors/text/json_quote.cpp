#include "actors/text/json_quote.hpp"

#include <cstddef>

namespace berth::text {
namespace {

constexpr std::string_view k_replacement = "\xEF\xBF\xBD";  // U+FFFD in UTF-8
constexpr char k_hex[] = "0123456789abcdef";

unsigned char byte_at(std::string_view s, std::size_t i) { return static_cast<unsigned char>(s[i]); }

/// True for bytes copied as they are: printable ASCII other than `"` and `\`.
bool plain_ascii(unsigned char c) { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\'; }

/// The length of the well-formed UTF-8 sequence starting at s[i] (a byte >=
/// 0x80), or 0 when there is none; then `bad` is the length of the maximal
/// ill-formed subpart there (at least 1), to be replaced by one U+FFFD.
/// The ranges are Unicode's table 3-7 of well-formed byte sequences.
std::size_t utf8_length(std::string_view s, std::size_t i, std::size_t& bad) {
  const unsigned char lead = byte_at(s, i);
  std::size_t length = 0;
  unsigned char low = 0x80;  // the range of the second byte; later bytes are 80..BF
  unsigned char high = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    if (lead == 0xe0) low = 0xa0;   // no overlong forms
    if (lead == 0xed) high = 0x9f;  // no surrogates D800..DFFF
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    if (lead == 0xf0) low = 0x90;   // no overlong forms
    if (lead == 0xf4) high = 0x8f;  // nothing above U+10FFFF
  } else {
    bad = 1;  // a continuation byte without a lead, C0, C1 or F5..FF
    return 0;
  }
  std::size_t n = 1;
  for (; n < length && i + n < s.size(); ++n) {
    const unsigned char c = byte_at(s, i + n);
    if (c < low || c > high) break;
    low = 0x80;
    high = 0xbf;
  }
  if (n == length) return length;
  bad = n;  // the lead and the continuation bytes that still fitted
  return 0;
}

void append_escape(std::string& out, unsigned char c) {
  switch (c) {
    case '"': out += "\\\""; return;
    case '\\': out += "\\\\"; return;
    case '\b': out += "\\b"; return;
    case '\f': out += "\\f"; return;
    case '\n': out += "\\n"; return;
    case '\r': out += "\\r"; return;
    case '\t': out += "\\t"; return;
    default: {
      const char escape[] = {'\\', 'u', '0', '0', k_hex[c >> 4], k_hex[c & 0xf]};
      out.append(escape, sizeof escape);
    }
  }
}

}  // namespace

std::string json_quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  // Bytes that need nothing are copied in runs: [run, i) is pending.
  std::size_t run = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = byte_at(s, i);
    if (plain_ascii(c)) {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      std::size_t bad = 0;
      if (std::size_t n = utf8_length(s, i, bad); n != 0) {
        i += n;
        continue;
      }
      out.append(s.data() + run, i - run);
      out += k_replacement;
      i += bad;
      run = i;
      continue;
    }
    out.append(s.data() + run, i - run);
    append_escape(out, c);
    run = ++i;
  }
  out.append(s.data() + run, i - run);
  out += '"';
  return out;
}

}  // namespace berth::text
