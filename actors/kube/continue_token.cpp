#include "actors/kube/continue_token.hpp"

#include <array>
#include <charconv>

namespace berth::kube {
namespace {

constexpr std::string_view k_alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::string_view k_version = "b1";  // bump when the text below changes shape

std::string base64url(std::string_view in) {
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : in) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += k_alphabet[(acc >> bits) & 63];
    }
  }
  if (bits > 0) out += k_alphabet[(acc << (6 - bits)) & 63];
  return out;
}

std::optional<std::string> unbase64url(std::string_view in) {
  std::array<int, 256> value{};
  value.fill(-1);
  for (std::size_t i = 0; i < k_alphabet.size(); ++i) value[static_cast<unsigned char>(k_alphabet[i])] = int(i);
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : in) {
    if (value[c] < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(value[c]);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  return out;
}

}  // namespace

// The text: "b1\n<rv>\n<namespace>\n<name>". Names and namespaces are DNS
// labels/subdomains, so they hold no newline.
std::string encode_continue(const continue_point& p) {
  std::string text(k_version);
  text += '\n' + std::to_string(p.resource_version) + '\n' + p.after_namespace + '\n' + p.after_name;
  return base64url(text);
}

std::optional<continue_point> decode_continue(std::string_view token) {
  auto text = unbase64url(token);
  if (!text) return std::nullopt;
  std::string_view rest = *text;
  auto next_line = [&rest]() -> std::optional<std::string_view> {
    auto nl = rest.find('\n');
    if (nl == std::string_view::npos) return std::nullopt;
    auto line = rest.substr(0, nl);
    rest.remove_prefix(nl + 1);
    return line;
  };
  auto version = next_line();
  auto rv = next_line();
  auto ns = next_line();
  if (!version || *version != k_version || !rv || !ns || rest.find('\n') != std::string_view::npos) return std::nullopt;
  continue_point p;
  auto [end, ec] = std::from_chars(rv->data(), rv->data() + rv->size(), p.resource_version);
  if (ec != std::errc() || end != rv->data() + rv->size() || rv->empty()) return std::nullopt;
  p.after_namespace = std::string(*ns);
  p.after_name = std::string(rest);
  if (p.after_name.empty()) return std::nullopt;
  return p;
}

}  // namespace berth::kube
