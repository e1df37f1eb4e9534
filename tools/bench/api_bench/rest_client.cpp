#include "tools/bench/api_bench/rest_client.hpp"

#include <kj/async-io.h>
#include <kj/compat/http.h>
#include <kj/compat/tls.h>

#include <stdexcept>

namespace berth::bench {

struct rest_client::impl {
  kj::AsyncIoContext io = kj::setupAsyncIo();
  kj::TlsCertificate ca;
  kj::Own<kj::TlsContext> tls;
  kj::Own<kj::HttpHeaderTable> table;
  kj::HttpHeaderId authorization, accept;
  kj::Own<kj::AsyncIoStream> stream;
  kj::Own<kj::HttpClient> client;
  std::string bearer;

  impl(const std::string& address, const std::string& ca_pem, const std::string& token)
      : ca(kj::StringPtr(ca_pem.c_str())), bearer("Bearer " + token) {
    kj::TlsContext::Options options;
    options.useSystemTrustStore = false;
    options.trustedCertificates = kj::arrayPtr(&ca, 1);
    tls = kj::heap<kj::TlsContext>(kj::mv(options));
    kj::HttpHeaderTable::Builder builder;
    authorization = builder.add("Authorization");
    accept = builder.add("Accept");
    table = builder.build();
    auto raw = io.provider->getNetwork().parseAddress(address).wait(io.waitScope)->connect().wait(io.waitScope);
    stream = tls->wrapClient(kj::mv(raw), "localhost").wait(io.waitScope);
    client = kj::newHttpClient(*table, *stream);
  }

  int send(kj::HttpMethod method, const std::string& path, const std::string& accept_type, const std::string* json,
           std::string& body) {
    kj::HttpHeaders headers(*table);
    headers.set(authorization, bearer);
    if (!accept_type.empty()) headers.set(accept, accept_type);
    if (json) headers.set(kj::HttpHeaderId::CONTENT_TYPE, "application/json");
    auto request = client->request(method, path, headers, json ? kj::Maybe<uint64_t>(json->size()) : nullptr);
    if (json) request.body->write(json->data(), json->size()).wait(io.waitScope);
    request.body = nullptr;
    auto response = request.response.wait(io.waitScope);
    auto text = response.body->readAllText().wait(io.waitScope);
    body.assign(text.cStr(), text.size());
    return static_cast<int>(response.statusCode);
  }
};

namespace {

/// KJ's exceptions are not std::exceptions: the benchmark catches the latter.
template <class F>
auto rethrown(F f) {
  try {
    return f();
  } catch (const kj::Exception& e) {
    throw std::runtime_error(e.getDescription().cStr());
  }
}

}  // namespace

rest_client::rest_client(const std::string& api_address, const std::string& ca_pem, const std::string& token)
    : impl_(rethrown([&] { return std::make_unique<impl>(api_address, ca_pem, token); })) {}
rest_client::~rest_client() = default;

int rest_client::post(const std::string& path, const std::string& json, std::string& body) {
  return rethrown([&] { return impl_->send(kj::HttpMethod::POST, path, "", &json, body); });
}

int rest_client::get(const std::string& path, const std::string& accept, std::string& body) {
  return rethrown([&] { return impl_->send(kj::HttpMethod::GET, path, accept, nullptr, body); });
}

}  // namespace berth::bench
