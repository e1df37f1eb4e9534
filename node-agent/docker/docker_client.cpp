#include "node-agent/docker/docker_client.hpp"

#include <fmt/format.h>

#include "node-agent/docker/docker_json.hpp"

namespace berth::agent::docker {

std::string docker_error(const docker_reply& reply) {
  std::string message;
  if (!reply.body.empty() && reply.body.front() == '{') {
    KJ_IF_MAYBE (e,
                 kj::runCatchingExceptions([&] { message = json_string(json_doc(reply.body).root(), {"message"}); })) {
      (void)e;  // not JSON after all: fall back to the raw body
    }
  }
  if (message.empty()) message = reply.body;
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  return fmt::format("dockerd HTTP {}: {}", reply.status, message);
}

kj::Exception docker_failure(std::string message) {
  return kj::Exception(kj::Exception::Type::FAILED, __FILE__, __LINE__, kj::heapString(message.data(), message.size()));
}

std::string url_encode(std::string_view text, bool keep_slash) {
  std::string out;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    bool plain = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || c == '-' || c == '_' ||
                 c == '.' || c == '~' || (keep_slash && (c == '/' || c == ':'));
    if (plain) {
      out += c;
    } else {
      out += fmt::format("%{:02X}", u);
    }
  }
  return out;
}

docker_client::docker_client(kj::Network& network, kj::Timer& timer, std::string socket_path)
    : network_(network), timer_(timer), socket_path_(std::move(socket_path)) {}

docker_client::~docker_client() = default;

kj::Promise<void> docker_client::resolve() {
  if (address_.get() != nullptr) return kj::READY_NOW;
  // unix: addresses resolve without I/O; parse once and keep the result.
  return network_.parseAddress(kj::str("unix:", socket_path_.c_str()))
      .then([this](kj::Own<kj::NetworkAddress> address) {
        if (address_.get() != nullptr) return;  // a concurrent call won the race
        address_ = kj::mv(address);
        http_ = kj::newHttpClient(timer_, header_table_, *address_);
      });
}

kj::Promise<kj::HttpClient::Response> docker_client::issue(kj::HttpClient& http, kj::HttpMethod method,
                                                           const std::string& path, std::string json_body) {
  kj::HttpHeaders headers(header_table_);
  // dockerd answers 400 to a request without Host; KJ adds none.
  headers.set(kj::HttpHeaderId::HOST, "docker");
  if (!json_body.empty()) headers.set(kj::HttpHeaderId::CONTENT_TYPE, "application/json");
  auto request = http.request(method, path, headers, uint64_t{json_body.size()});
  if (json_body.empty() || request.body.get() == nullptr) return kj::mv(request.response);
  auto bytes = kj::heapString(json_body.data(), json_body.size());
  auto written = request.body->write(bytes.begin(), bytes.size());
  return written.attach(kj::mv(bytes), kj::mv(request.body)).then([response = kj::mv(request.response)]() mutable {
    return kj::mv(response);
  });
}

kj::Promise<kj::HttpClient::Response> docker_client::send(kj::HttpMethod method, std::string path,
                                                          std::string json_body) {
  return resolve().then([this, method, path = std::move(path), body = std::move(json_body)]() mutable {
    return issue(*http_, method, path, std::move(body));
  });
}

kj::Promise<docker_reply> docker_client::call(kj::HttpMethod method, std::string path, std::string json_body,
                                              kj::Duration timeout) {
  auto exchange = send(method, std::move(path), std::move(json_body)).then([](kj::HttpClient::Response response) {
    unsigned status = response.statusCode;
    auto text = response.body->readAllText();
    return text.attach(kj::mv(response.body)).then([status](kj::String body) {
      return docker_reply{status, std::string(body.cStr(), body.size())};
    });
  });
  return timer_.timeoutAfter(timeout, kj::mv(exchange));
}

kj::Promise<kj::Own<kj::AsyncIoStream>> docker_client::connect() {
  return resolve().then([this] { return address_->connect(); });
}

kj::Promise<docker_stream> docker_client::open(kj::HttpMethod method, std::string path, std::string json_body) {
  // Streams get a connection of their own, never the pool: KJ 0.9.2 returns a
  // connection whose reply ended at EOF (exec start's hijacked stream) to the
  // pool as reusable, and the next request on it fails with "stream
  // disconnected prematurely". Long streams would also pin pooled connections.
  return resolve()
      .then([this] { return address_->connect(); })
      .then([this, method, path = std::move(path),
             body = std::move(json_body)](kj::Own<kj::AsyncIoStream> connection) mutable {
        auto http = kj::newHttpClient(header_table_, *connection);
        auto response = issue(*http, method, path, std::move(body));
        return response.then(
            [http = kj::mv(http), connection = kj::mv(connection)](kj::HttpClient::Response response) mutable {
              // Destroyed in this order: body, then its client, then the socket.
              return docker_stream{response.statusCode, response.body.attach(kj::mv(http), kj::mv(connection))};
            });
      });
}

}  // namespace berth::agent::docker
