#pragma once
// A plain HTTP/1.1 GET over a loopback socket, for the tests of berthd's and
// the agent's HTTP endpoints (no HTTP library: the tests see the bytes).

#include <string>

namespace berth::testing {

struct http_response {
  std::string status_line;  // "HTTP/1.1 200 OK"
  std::string headers;      // the header lines, as received
  std::string body;
};

/// GET `path` from `address` (HOST:PORT) with extra header lines
/// ("Name: value\r\n" each). Reads up to Content-Length, not to EOF: KJ's
/// server keeps a connection open for its pipeline timeout (5 s) even when
/// asked for "Connection: close".
http_response http_get(const std::string& address, const std::string& path, const std::string& extra_headers = "");

/// The header line that sends `token` as a bearer token.
std::string bearer(const std::string& token);

}  // namespace berth::testing
