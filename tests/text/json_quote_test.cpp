// text::json_quote, berth's one JSON string quoter: table tests of every
// byte class it treats specially (control characters, quote, backslash, DEL,
// well-formed and ill-formed UTF-8), so that the choices documented in
// actors/text/json_quote.hpp stay the behaviour.

#include "actors/text/json_quote.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>

using berth::text::json_quote;

namespace {

/// The escape RFC 8259 expects for a control character: the short form it
/// names, or \u00XX in lower-case hex.
std::string expected_control(unsigned char c) {
  switch (c) {
    case '\b': return "\\b";
    case '\f': return "\\f";
    case '\n': return "\\n";
    case '\r': return "\\r";
    case '\t': return "\\t";
    default: {
      const char* hex = "0123456789abcdef";
      return std::string("\\u00") + hex[c >> 4] + hex[c & 0xf];
    }
  }
}

const std::string k_fffd = "\xEF\xBF\xBD";

}  // namespace

TEST_CASE("json_quote: the empty string and plain ASCII") {
  CHECK(json_quote("") == R"("")");
  CHECK(json_quote("web-1/nginx:1.25 ok") == R"("web-1/nginx:1.25 ok")");
  CHECK(json_quote("a/b") == R"("a/b")");  // the solidus is not escaped
}

TEST_CASE("json_quote: quote and backslash") {
  CHECK(json_quote("\"") == R"("\"")");
  CHECK(json_quote("\\") == R"("\\")");
  CHECK(json_quote(R"(say "hi" \o/)") == R"("say \"hi\" \\o/")");
  CHECK(json_quote(R"(\u0041)") == R"("\\u0041")");  // text that looks like an escape stays text
}

TEST_CASE("json_quote: every control character 0x00-0x1f") {
  for (int c = 0; c < 0x20; ++c) {
    CAPTURE(c);
    const std::string in(1, static_cast<char>(c));
    CHECK(json_quote(in) == "\"" + expected_control(static_cast<unsigned char>(c)) + "\"");
    // Embedded between text: only the control character changes.
    CHECK(json_quote("a" + in + "b") == "\"a" + expected_control(static_cast<unsigned char>(c)) + "b\"");
  }
  CHECK(json_quote(std::string_view("\0x", 2)) == R"("\u0000x")");  // NUL does not end the string
  CHECK(json_quote("\r\n") == R"("\r\n")");
  CHECK(json_quote("\x1b[31m") == R"("\u001b[31m")");  // no terminal escapes get through
}

TEST_CASE("json_quote: DEL (0x7f) is escaped; the rest of ASCII passes through") {
  CHECK(json_quote("\x7f") == R"("\u007f")");
  for (int c = 0x20; c < 0x7f; ++c) {
    CAPTURE(c);
    if (c == '"' || c == '\\') continue;
    const std::string in(1, static_cast<char>(c));
    CHECK(json_quote(in) == "\"" + in + "\"");
  }
}

TEST_CASE("json_quote: well-formed UTF-8 passes through unchanged") {
  const char* samples[] = {
      "\xC2\x80",                  // U+0080, the first two-byte code point
      "\xC3\xA9t\xC3\xA9",         // été
      "\xDF\xBF",                  // U+07FF
      "\xE0\xA0\x80",              // U+0800
      "\xE2\x82\xAC",              // €
      "\xED\x9F\xBF",              // U+D7FF, just below the surrogates
      "\xEE\x80\x80",              // U+E000, just above them
      "\xEF\xBF\xBD",              // U+FFFD itself
      "\xEF\xBB\xBF",              // a BOM is a character like any other
      "\xF0\x90\x80\x80",          // U+10000
      "\xF0\x9F\x98\x80",          // 😀
      "\xF4\x8F\xBF\xBF",          // U+10FFFF, the last code point
      "\xE6\x97\xA5\xE6\x9C\xAC",  // 日本
  };
  for (const char* s : samples) {
    CAPTURE(s);
    CHECK(json_quote(s) == "\"" + std::string(s) + "\"");
  }
  CHECK(json_quote("caf\xC3\xA9 \"\xE2\x82\xAC\"\n") == "\"caf\xC3\xA9 \\\"\xE2\x82\xAC\\\"\\n\"");
}

TEST_CASE("json_quote: invalid UTF-8 becomes U+FFFD, one per maximal ill-formed subpart") {
  struct row {
    std::string_view in;
    std::string out;  // between the quotes
  };
  const row rows[] = {
      {"\x80", k_fffd},  // a lone continuation byte
      {"\xBF", k_fffd},
      {"\x80\x80", k_fffd + k_fffd},  // each stray continuation byte on its own
      {"\xC0\xAF", k_fffd + k_fffd},  // overlong "/": C0 never starts a sequence
      {"\xC1\xBF", k_fffd + k_fffd},
      {"\xE0\x80\xAF", k_fffd + k_fffd + k_fffd},  // overlong: E0 needs A0..BF next
      {"\xF0\x80\x80\xAF", k_fffd + k_fffd + k_fffd + k_fffd},
      {"\xED\xA0\x80", k_fffd + k_fffd + k_fffd},               // a UTF-16 surrogate (U+D800)
      {"\xF4\x90\x80\x80", k_fffd + k_fffd + k_fffd + k_fffd},  // above U+10FFFF
      {"\xF5\x80", k_fffd + k_fffd},                            // F5..FF never start a sequence
      {"\xFF", k_fffd},
      {"\xFE\xFF", k_fffd + k_fffd},
      {"\xC3", k_fffd},      // truncated at the end
      {"\xE2\x82", k_fffd},  // one subpart: E2 82 fitted so far
      {"\xF0\x9F\x98", k_fffd},
      {"\xE2\x82x", k_fffd + "x"},  // truncated before ASCII: the ASCII stays
      {"\xC3\"", k_fffd + "\\\""},  // ... and is still escaped
      {"a\xC3"
       "b\xE2\x82\xAC",
       "a" + k_fffd + "b\xE2\x82\xAC"},                       // valid text after a bad byte
      {"\xF0\x9F\x98\x80\x80", "\xF0\x9F\x98\x80" + k_fffd},  // a stray byte after a good one
  };
  for (const auto& r : rows) {
    CAPTURE(std::string(r.in));
    CHECK(json_quote(r.in) == "\"" + r.out + "\"");
  }
}

TEST_CASE("json_quote: long strings with escapes in runs keep every byte") {
  std::string in;
  std::string out = "\"";
  for (int i = 0; i < 1000; ++i) {
    in += "text-";
    out += "text-";
    in += static_cast<char>(i % 0x20);
    out += expected_control(static_cast<unsigned char>(i % 0x20));
    in += "\xC3\xA9";
    out += "\xC3\xA9";
  }
  out += "\"";
  CHECK(json_quote(in) == out);
}
