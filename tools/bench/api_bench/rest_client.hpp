#pragma once
// A synchronous HTTPS client for berthd's Kubernetes API, one keep-alive
// connection, for the benchmark's REST rows (each sender thread owns one).
// KJ (HTTP + TLS) stays in rest_client.cpp.

#include <memory>
#include <string>

namespace berth::bench {

class rest_client {
 public:
  /// Connects to `api_address` (HOST:PORT) over TLS, trusting only `ca_pem`,
  /// and sends `Authorization: Bearer token` with every request. Throws when
  /// it cannot connect.
  rest_client(const std::string& api_address, const std::string& ca_pem, const std::string& token);
  ~rest_client();
  rest_client(const rest_client&) = delete;
  rest_client& operator=(const rest_client&) = delete;

  /// POSTs `json` to `path`; returns the status code, the body in `body`.
  int post(const std::string& path, const std::string& json, std::string& body);
  /// GETs `path` with `accept`; returns the status code, the body in `body`.
  int get(const std::string& path, const std::string& accept, std::string& body);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace berth::bench
