#include "actors/kube/channel.hpp"

#include <charconv>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "actors/text/json_quote.hpp"

namespace berth::kube {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<std::uint16_t> dimension(const YAML::Node& doc, const char* key, std::string& error) {
  auto node = doc[key];
  if (!node || !node.IsScalar()) {
    error = fmt::format("resize: {}: required, a whole number from 0 to 65535", key);
    return std::nullopt;
  }
  const auto& text = node.Scalar();
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value > 65535) {
    error = fmt::format("resize: {}: expected a whole number from 0 to 65535, not {}", key, text);
    return std::nullopt;
  }
  return static_cast<std::uint16_t>(value);
}

}  // namespace

std::string_view protocol_name(stream_protocol p) {
  return p == stream_protocol::v5 ? "v5.channel.k8s.io" : "v4.channel.k8s.io";
}

std::optional<stream_protocol> negotiate_protocol(std::string_view offered) {
  bool v4 = false, v5 = false;
  while (!offered.empty()) {
    auto comma = offered.find(',');
    auto item = trim(offered.substr(0, comma));
    if (item == protocol_name(stream_protocol::v5)) v5 = true;
    if (item == protocol_name(stream_protocol::v4)) v4 = true;
    if (comma == std::string_view::npos) break;
    offered.remove_prefix(comma + 1);
  }
  if (v5) return stream_protocol::v5;
  if (v4) return stream_protocol::v4;
  return std::nullopt;
}

std::string frame(channel c, std::string_view data) {
  std::string out;
  out.reserve(data.size() + 1);
  out += static_cast<char>(c);
  out += data;
  return out;
}

std::optional<terminal_size> parse_resize(std::string_view json, std::string& error) {
  YAML::Node doc;
  try {
    doc = YAML::Load(std::string(json));
  } catch (const YAML::Exception& e) {
    error = fmt::format("resize: not JSON: {}", e.msg);
    return std::nullopt;
  }
  if (!doc.IsMap()) {
    error = "resize: expected an object {\"Width\":W,\"Height\":H}";
    return std::nullopt;
  }
  auto width = dimension(doc, "Width", error);
  if (!width) return std::nullopt;
  auto height = dimension(doc, "Height", error);
  if (!height) return std::nullopt;
  return terminal_size{*width, *height};
}

client_message parse_client_message(std::string_view message, stream_protocol p) {
  client_message m;
  if (message.empty()) {
    m.kind = client_message::what::error;
    m.error = "empty message: expected a channel byte";
    return m;
  }
  auto id = static_cast<std::uint8_t>(message[0]);
  auto payload = message.substr(1);
  switch (id) {
    case static_cast<std::uint8_t>(channel::stdin_):
      m.kind = client_message::what::stdin_data;
      m.data = std::string(payload);
      return m;
    case static_cast<std::uint8_t>(channel::stdout_):
    case static_cast<std::uint8_t>(channel::stderr_):
    case static_cast<std::uint8_t>(channel::error): return m;  // ignore: output channels are the server's
    case static_cast<std::uint8_t>(channel::resize): {
      auto size = parse_resize(payload, m.error);
      if (!size) {
        m.kind = client_message::what::error;
        return m;
      }
      m.kind = client_message::what::resize;
      m.width = size->width;
      m.height = size->height;
      return m;
    }
    case static_cast<std::uint8_t>(channel::close):
      if (p != stream_protocol::v5) break;
      if (payload.size() != 1) {
        m.kind = client_message::what::error;
        m.error = fmt::format("close message: expected one stream byte, got {}", payload.size());
        return m;
      }
      if (static_cast<std::uint8_t>(payload[0]) == static_cast<std::uint8_t>(channel::stdin_))
        m.kind = client_message::what::stdin_close;
      return m;  // closing any other stream changes nothing here
    default: break;
  }
  m.kind = client_message::what::error;
  m.error = fmt::format("unknown channel {} for {}", id, protocol_name(p));
  return m;
}

std::string exit_status_json(int code) {
  if (code == 0) return R"({"metadata":{},"status":"Success"})";
  if (code < 0 || code > 255)
    return failure_status_json(fmt::format("the command ended, but its exit code is unknown ({})", code));
  return fmt::format(
      R"({{"metadata":{{}},"status":"Failure","message":"command terminated with non-zero exit code: {}",)"
      R"("reason":"NonZeroExitCode","details":{{"causes":[{{"reason":"ExitCode","message":"{}"}}]}}}})",
      code, code);
}

std::string failure_status_json(std::string_view message) {
  return fmt::format(R"({{"metadata":{{}},"status":"Failure","message":{},"reason":"InternalError","code":500}})",
                     text::json_quote(message));
}

}  // namespace berth::kube
