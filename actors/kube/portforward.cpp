// Port-forward stream headers and pairing (portforward.hpp).
#include "actors/kube/portforward.hpp"

#include <charconv>

#include <fmt/format.h>

namespace berth::kube {

std::variant<portforward_stream, std::string> parse_portforward_stream(const spdy::header_list& headers,
                                                                       std::uint32_t stream_id) {
  portforward_stream s;
  const auto* type = spdy::find_header(headers, "streamType");
  if (type == nullptr) return std::string("\"streamType\" header is required");
  if (*type == "error")
    s.kind = portforward_stream::type::error;
  else if (*type == "data")
    s.kind = portforward_stream::type::data;
  else
    return fmt::format("invalid stream type \"{}\"", *type);
  const auto* port = spdy::find_header(headers, "port");
  if (port == nullptr || port->empty()) return std::string("\"port\" header is required");
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port->data(), port->data() + port->size(), value);
  if (ec != std::errc() || end != port->data() + port->size() || value > 65535)
    return fmt::format("unable to parse \"{}\" as a port: expected a whole number from 1 to 65535", *port);
  if (value == 0) return fmt::format("port \"{}\" must be > 0", *port);
  s.port = static_cast<std::uint16_t>(value);
  const auto* id = spdy::find_header(headers, "requestID");
  if (id != nullptr && !id->empty())
    s.request_id = *id;
  else
    s.request_id = std::to_string(s.kind == portforward_stream::type::error ? stream_id : stream_id - 2);
  return s;
}

std::variant<portforward_pair, std::string> portforward_pairing::add(std::uint32_t id, const portforward_stream& s) {
  auto& p = pending_[s.request_id];
  if (p.request_id.empty()) {
    p.request_id = s.request_id;
    p.port = s.port;
  }
  if (p.port != s.port)
    return fmt::format("request {}: the {} stream names port {}, its pair port {}", s.request_id,
                       s.kind == portforward_stream::type::error ? "error" : "data", s.port, p.port);
  auto& slot = s.kind == portforward_stream::type::error ? p.error_stream : p.data_stream;
  if (slot != 0)
    return fmt::format("request {}: a second {} stream (stream {}, the first is {})", s.request_id,
                       s.kind == portforward_stream::type::error ? "error" : "data", id, slot);
  slot = id;
  return p;
}

}  // namespace berth::kube
