#pragma once
// The port-forward protocol over SPDY (portforward.k8s.io), as kubelet
// serves it: for each local connection kubectl opens two streams, both with
// headers
//
//   streamType: "error" | "data"    port: 1..65535    requestID: "0", "1", ...
//
// The data stream carries the connection's bytes both ways; the error stream
// carries, from server to client only, the text of what went wrong (kubectl
// prints it), and is closed when the forwarding ends. Pure: no I/O.

#include <cstdint>
#include <map>
#include <string>
#include <variant>

#include "actors/kube/spdy.hpp"

namespace berth::kube {

constexpr const char* k_portforward_protocol = "portforward.k8s.io";

struct portforward_stream {
  enum class type { error, data };
  type kind = type::data;
  std::uint16_t port = 0;
  std::string request_id;
};

/// Reads a new stream's headers; the text of kubelet's refusal otherwise
/// ("\"port\" header is required", "unable to parse \"x\" as a port: ...",
/// "invalid stream type \"stdin\""). Without a requestID header (clients
/// before 1.6) the pair is told by stream id: data = error + 2.
std::variant<portforward_stream, std::string> parse_portforward_stream(const spdy::header_list& headers,
                                                                       std::uint32_t stream_id);

/// The two streams of one forwarded connection, as they arrive.
struct portforward_pair {
  std::string request_id;
  std::uint16_t port = 0;
  std::uint32_t error_stream = 0;  // 0: not yet
  std::uint32_t data_stream = 0;
  bool complete() const { return error_stream != 0 && data_stream != 0; }
};

/// Pairs streams by request id.
class portforward_pairing {
 public:
  /// Adds stream `id`; returns its pair as it now stands, or why not: a
  /// second stream of the same type for one request, or a port that differs
  /// from the pair's.
  std::variant<portforward_pair, std::string> add(std::uint32_t id, const portforward_stream& s);
  /// Forgets a request (once its forwarding started or failed).
  void remove(const std::string& request_id) { pending_.erase(request_id); }
  std::size_t pending() const { return pending_.size(); }

 private:
  std::map<std::string, portforward_pair> pending_;
};

}  // namespace berth::kube
