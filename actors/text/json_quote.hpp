#pragma once
// The one JSON string quoter of berth: every JSON berth writes (the API's
// HTTP answers, `berth get -o json`, `berth journal ls -o json`, actors'
// state for the console, Docker Engine API bodies, benchmark reports) quotes
// its strings here, so that they all agree on every byte.
//
// What it writes (RFC 8259, section 7):
//   "  \  → \"  \\           (must be escaped)
//   BS FF LF CR TAB → \b \f \n \r \t   (the short forms RFC 8259 names)
//   other bytes < 0x20 → \u00XX, lower-case hex (must be escaped)
//   0x7f (DEL) → \u007f      (allowed raw, but DEL is a control character:
//                             escaped so JSON printed to a terminal cannot
//                             act on it; every parser reads the same byte back)
//   "/" and everything else, including well-formed UTF-8, → unchanged
//
// Invalid UTF-8 (RFC 8259 requires JSON text to be UTF-8): each maximal
// ill-formed subsequence (Unicode 15, section 3.9, "U+FFFD substitution of
// maximal subparts"; the WHATWG and Python decoders do the same) becomes one
// U+FFFD REPLACEMENT CHARACTER. Overlong forms, UTF-16 surrogates encoded as
// UTF-8 and code points above U+10FFFF are ill-formed. The output is
// therefore always valid UTF-8 and valid JSON, at the price of losing the
// exact bytes of a string that was not text (Go's encoding/json, hence
// dockerd and kubectl, also replaces invalid bytes with U+FFFD).
//
// Not for other formats: YAML double-quoted scalars (actors/manifest/emit.cpp),
// Go's %q in field errors (actors/manifest/field_error.hpp) and Prometheus
// label values (actors/introspect/prometheus.hpp) have their own rules and
// their own single function each.
//
// Parsing JSON is not done here: see docs/json.md for the library to use.

#include <string>
#include <string_view>

namespace berth::text {

/// `s` as a JSON string literal, double quotes included.
std::string json_quote(std::string_view s);

}  // namespace berth::text
