#include "tools/bench/api_bench/rest_watchers.hpp"

#include <kj/async-io.h>
#include <kj/compat/http.h>
#include <kj/compat/tls.h>
#include <kj/timer.h>

#include <chrono>
#include <future>
#include <stdexcept>

namespace berth::bench {
namespace {

std::int64_t wall_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string_view string_after(std::string_view text, std::string_view key, std::size_t from = 0) {
  auto at = text.find(key, from);
  if (at == std::string_view::npos) return {};
  auto start = at + key.size();
  auto end = text.find('"', start);
  return end == std::string_view::npos ? std::string_view{} : text.substr(start, end - start);
}

}  // namespace

watch_record::line parse_watch_line(std::string_view text) {
  watch_record::line l;
  auto type = string_after(text, "{\"type\":\"");
  l.type = type.empty() ? '?' : type[0];
  auto metadata = text.find("\"metadata\":{");
  if (metadata != std::string_view::npos) {
    l.name = std::string(string_after(text, "\"name\":\"", metadata));
    auto rv = string_after(text, "\"resourceVersion\":\"", metadata);
    for (char c : rv) l.resource_version = l.resource_version * 10 + static_cast<std::uint64_t>(c - '0');
  }
  l.running = text.find("\"phase\":\"Running\"") != std::string_view::npos;
  return l;
}

struct rest_watchers::impl {
  std::string address, ca_pem, token, path;
  int count = 0;
  std::vector<watch_record> records;
  std::promise<std::string> ready;
};

namespace {

struct connection {
  kj::Own<kj::AsyncIoStream> stream;
  kj::Own<kj::HttpClient> client;
  kj::Own<kj::AsyncInputStream> body;
  std::string pending;  // a line not complete yet
  kj::Array<kj::byte> buffer = kj::heapArray<kj::byte>(64 * 1024);
};

}  // namespace

rest_watchers::rest_watchers(const std::string& api_address, const std::string& ca_pem, const std::string& token,
                             const std::string& path, int count)
    : impl_(std::make_unique<impl>()) {
  impl_->address = api_address;
  impl_->ca_pem = ca_pem;
  impl_->token = token;
  impl_->path = path;
  impl_->count = count;
  impl_->records.resize(static_cast<std::size_t>(count));
  auto ready = impl_->ready.get_future();
  thread_ = std::thread([this] {
    auto& m = *impl_;
    bool announced = false;
    try {
      auto io = kj::setupAsyncIo();
      kj::TlsCertificate ca(kj::StringPtr(m.ca_pem.c_str()));
      kj::TlsContext::Options options;
      options.useSystemTrustStore = false;
      options.trustedCertificates = kj::arrayPtr(&ca, 1);
      kj::TlsContext tls(kj::mv(options));
      kj::HttpHeaderTable::Builder builder;
      auto authorization = builder.add("Authorization");
      auto table = builder.build();
      auto address = io.provider->getNetwork().parseAddress(m.address).wait(io.waitScope);
      std::vector<kj::Own<connection>> conns;
      for (int i = 0; i < m.count; ++i) {
        auto c = kj::heap<connection>();
        c->stream = tls.wrapClient(address->connect().wait(io.waitScope), "localhost").wait(io.waitScope);
        c->client = kj::newHttpClient(*table, *c->stream);
        kj::HttpHeaders headers(*table);
        headers.set(authorization, kj::str("Bearer ", m.token.c_str()));
        auto request = c->client->request(kj::HttpMethod::GET, m.path, headers);
        auto response = request.response.wait(io.waitScope);
        m.records[static_cast<std::size_t>(i)].status = response.statusCode;
        c->body = kj::mv(response.body);
        conns.push_back(kj::mv(c));
      }
      announced = true;
      m.ready.set_value("");
      kj::Vector<kj::Promise<void>> loops;
      for (std::size_t i = 0; i < conns.size(); ++i) {
        auto& c = *conns[i];
        auto& rec = m.records[i];
        // A read loop per watch: split into lines, record each.
        struct reader {
          static kj::Promise<void> next(connection& c, watch_record& rec, rest_watchers& owner) {
            return c.body->tryRead(c.buffer.begin(), 1, c.buffer.size())
                .then([&c, &rec, &owner](std::size_t n) -> kj::Promise<void> {
                  if (n == 0) {
                    rec.end = "the server ended the stream";
                    ++owner.ended_;
                    return kj::READY_NOW;
                  }
                  const auto now = wall_ns();
                  c.pending.append(reinterpret_cast<const char*>(c.buffer.begin()), n);
                  std::size_t start = 0;
                  for (auto nl = c.pending.find('\n'); nl != std::string::npos; nl = c.pending.find('\n', start)) {
                    auto l = parse_watch_line(std::string_view(c.pending).substr(start, nl - start));
                    l.received_ns = now;
                    rec.lines.push_back(std::move(l));
                    ++owner.lines_;
                    start = nl + 1;
                  }
                  c.pending.erase(0, start);
                  return next(c, rec, owner);
                });
          }
        };
        loops.add(reader::next(c, rec, *this).catch_([&rec, this](kj::Exception&& e) {
          rec.end = e.getDescription().cStr();
          ++ended_;
        }));
      }
      struct poll {
        static kj::Promise<void> until_stopped(kj::Timer& timer, std::atomic<bool>& stopping) {
          if (stopping.load()) return kj::READY_NOW;
          return timer.afterDelay(20 * kj::MILLISECONDS).then([&timer, &stopping] {
            return until_stopped(timer, stopping);
          });
        }
      };
      poll::until_stopped(io.provider->getTimer(), stopping_)
          .exclusiveJoin(kj::joinPromises(loops.releaseAsArray()).then([]() -> kj::Promise<void> {
            return kj::NEVER_DONE;  // every stream ended: wait for stop() all the same
          }))
          .wait(io.waitScope);
    } catch (const kj::Exception& e) {
      if (!announced) m.ready.set_value(std::string("rest_watchers: ") + e.getDescription().cStr());
    }
  });
  auto error = ready.get();
  if (!error.empty()) {
    stopping_ = true;
    thread_.join();
    throw std::runtime_error(error);
  }
}

rest_watchers::~rest_watchers() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

std::vector<watch_record> rest_watchers::stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
  return std::move(impl_->records);
}

}  // namespace berth::bench
