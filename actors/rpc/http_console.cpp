// The web console: GET /console (the page, embedded: actors/console_web/)
// and the JSON it reads under /api/introspect/.
//
//   /console, /console/console.js, /console/console.css   no token (no data)
//   /api/introspect/process                               ProcessInfo
//   /api/introspect/actors                                {"actors": [ActorInfo...]}
//   /api/introspect/actors/{id-or-name}                   {"info", "stateJson", "error"} (404: no such actor)
//   /api/introspect/trace?actor=X&forMs=N&max=M           {"stopped", "events": [TraceEvent...]}
//   /api/introspect/summary                               totals for the page's chart
//
// Every /api/ path needs "Authorization: Bearer ADMIN_TOKEN" (401 otherwise).
// The introspection answers come from berthd's own Introspection capability
// (the one Cluster.introspection() hands out), called in-process and encoded
// with Cap'n Proto's JSON codec: same data, same errors, same 5 s inspect
// timeout and the schema's field names, as over RPC.
#include <charconv>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <capnp/compat/json.h>
#include <fmt/format.h>
#include <kj/compat/url.h>
#include <kj/debug.h>

#include "actors/console_web/assets.hpp"
#include "actors/introspect/registry.hpp"
#include "actors/introspect/state_json.hpp"
#include "actors/text/json_quote.hpp"
#include "actors/rpc/rpc_internal.hpp"
#include "journal/writer.hpp"
#include "actors/text/kj_describe.hpp"

namespace berth::rpc {
namespace {

/// An HTTP trace holds its request open; keep it short.
constexpr std::uint32_t k_http_trace_max_ms = 10'000;

http_reply json_reply(unsigned status, std::string status_text, std::string body) {
  return {status, std::move(status_text), "application/json", std::move(body) + "\n"};
}

http_reply json_error(unsigned status, std::string status_text, std::string_view message) {
  return json_reply(status, std::move(status_text), "{\"error\":" + text::json_quote(message) + "}");
}

/// Encodes a capnp struct reader (or a Response<T>) as JSON.
template <typename Reader>
std::string to_json(Reader value) {
  capnp::JsonCodec codec;
  return codec.encode(value).cStr();
}

std::optional<std::string> query_value(const kj::Url& url, kj::StringPtr name) {
  for (auto& q : url.query)
    if (q.name == name) return std::string(q.value.cStr());
  return std::nullopt;
}

/// A whole number from the query (absent: `fallback`); nullopt when it is not one.
std::optional<std::uint32_t> query_number(const kj::Url& url, kj::StringPtr name, std::uint32_t fallback) {
  auto text = query_value(url, name);
  if (!text) return fallback;
  std::uint32_t v = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || end != text->data() + text->size() || text->empty()) return std::nullopt;
  return v;
}

/// Turns a failed call into a 500 that says why (the page shows it).
kj::Promise<http_reply> or_error(kj::Promise<http_reply> p) {
  return p.catch_([](kj::Exception&& e) { return json_error(500, "Internal Server Error", text::describe(e)); });
}

/// Collects a trace's events (already as JSON) for one HTTP answer.
class trace_collector final : public schema::TraceSink::Server {
 public:
  explicit trace_collector(std::shared_ptr<std::vector<std::string>> out) : out_(std::move(out)) {}

 protected:
  kj::Promise<void> event(EventContext c) override {
    out_->push_back(codec_.encode(c.getParams().getEvent()).cStr());
    return kj::READY_NOW;
  }

 private:
  std::shared_ptr<std::vector<std::string>> out_;
  capnp::JsonCodec codec_;
};

kj::Promise<http_reply> process(schema::Introspection::Client cap) {
  auto call = cap.processRequest().send().then([](capnp::Response<schema::Introspection::ProcessResults>&& r) {
    return json_reply(200, "OK", to_json(r.getInfo()));
  });
  return call.attach(kj::mv(cap));
}

kj::Promise<http_reply> actors(schema::Introspection::Client cap) {
  auto call = cap.actorsRequest().send().then([](capnp::Response<schema::Introspection::ActorsResults>&& r) {
    return json_reply(200, "OK", to_json(schema::Introspection::ActorsResults::Reader(r)));
  });
  return call.attach(kj::mv(cap));
}

kj::Promise<http_reply> inspect(schema::Introspection::Client cap, const std::string& actor) {
  auto req = cap.inspectRequest();
  req.setActor(actor);
  auto call = req.send().then([](capnp::Response<schema::Introspection::InspectResults>&& r) {
    // No info: there is no such actor. Info and an error: it did not answer in time.
    if (!r.hasInfo()) return json_error(404, "Not Found", r.getError().cStr());
    return json_reply(200, "OK", to_json(schema::Introspection::InspectResults::Reader(r)));
  });
  return call.attach(kj::mv(cap));
}

kj::Promise<http_reply> trace(schema::Introspection::Client cap, const kj::Url& url) {
  auto actor = query_value(url, "actor");
  if (!actor || actor->empty()) return json_error(400, "Bad Request", "trace needs ?actor=ID-or-name");
  auto for_ms = query_number(url, "forMs", k_http_trace_max_ms);
  if (!for_ms) return json_error(400, "Bad Request", "forMs must be a whole number of milliseconds");
  auto max = query_number(url, "max", 1000);
  if (!max) return json_error(400, "Bad Request", "max must be a whole number of events");

  auto events = std::make_shared<std::vector<std::string>>();
  auto req = cap.traceRequest();
  req.setActor(*actor);
  req.setForMs(std::min(*for_ms, k_http_trace_max_ms));
  req.setMax(*max);
  req.setSink(kj::heap<trace_collector>(events));
  auto call = req.send().then([events](capnp::Response<schema::Introspection::TraceResults>&& r) {
    if (r.getError().size() > 0) return json_error(404, "Not Found", r.getError().cStr());
    std::string body = "{\"stopped\":" + text::json_quote(r.getStopped().cStr()) + ",\"events\":[";
    for (std::size_t i = 0; i < events->size(); ++i) body += (i ? "," : "") + (*events)[i];
    return json_reply(200, "OK", body + "]}");
  });
  return call.attach(kj::mv(cap));
}

/// The journal writer's running totals, or null when berthd has none.
std::string journal_json(const journal::writer* writer) {
  if (writer == nullptr) return "null";
  auto s = writer->get_stats();
  return fmt::format(R"({{"records":"{}","appendSecondsSum":{},"appendCount":"{}"}})", s.records, s.append_seconds_sum,
                     s.append_count);
}

/// The page's running totals: its chart takes the difference of two
/// successive samples (messages/s; mean append latency between them).
/// 64-bit counters are strings, as in the Cap'n Proto JSON.
http_reply summary(server_context& ctx) {
  const auto* reg = ctx.config.registry;
  if (reg == nullptr) return json_error(503, "Service Unavailable", "this berthd keeps no actor registry");
  auto all = reg->list();
  std::uint64_t handled = 0, mailbox = 0;
  for (const auto& a : all) {
    handled += a.handled;
    mailbox += a.mailbox;
  }
  for (const auto& [kind, n] : reg->handled_by_exited()) handled += n;  // keeps the total monotonic
  return json_reply(
      200, "OK",
      fmt::format(R"({{"timeNs":"{}","actors":{},"handled":"{}","mailbox":"{}","journal":{}}})",
                  introspect::unix_now_ns(), all.size(), handled, mailbox, journal_json(ctx.config.writer)));
}

/// An authorized /api/ request.
kj::Promise<http_reply> route_api(const http_request& r) {
  kj::Url url;
  KJ_IF_MAYBE (parsed, kj::Url::tryParse(r.url, kj::Url::HTTP_REQUEST)) {
    url = kj::mv(*parsed);
  } else {
    return json_error(400, "Bad Request", fmt::format("cannot parse the URL {}", r.url.cStr()));
  }
  auto& path = url.path;
  auto is = [&](std::initializer_list<kj::StringPtr> want) {
    if (path.size() != want.size()) return false;
    std::size_t i = 0;
    for (auto w : want)
      if (path[i++] != w) return false;
    return true;
  };
  if (is({"api", "introspect", "summary"})) return summary(r.ctx);

  bool known = is({"api", "introspect", "process"}) || is({"api", "introspect", "actors"}) ||
               is({"api", "introspect", "trace"}) ||
               (path.size() > 3 && path[0] == "api" && path[1] == "introspect" && path[2] == "actors");
  if (!known) return json_error(404, "Not Found", fmt::format("no such path: {}", r.url.cStr()));
  if (r.ctx.config.registry == nullptr)
    return json_error(503, "Service Unavailable", "this berthd keeps no actor registry");
  auto cap = make_berthd_introspection(r.ctx);
  if (is({"api", "introspect", "process"})) return or_error(process(kj::mv(cap)));
  if (is({"api", "introspect", "actors"})) return or_error(actors(kj::mv(cap)));
  if (is({"api", "introspect", "trace"})) return or_error(trace(kj::mv(cap), url));
  // An actor's name holds slashes ("pod/default/web-1"): the page encodes them
  // (%2F, one path component), but a hand-typed URL may not.
  std::string name;
  for (std::size_t i = 3; i < path.size(); ++i) name += (i > 3 ? "/" : "") + std::string(path[i].cStr());
  return or_error(inspect(kj::mv(cap), name));
}

}  // namespace

kj::Maybe<kj::Promise<http_reply>> route_console(const http_request& r) {
  std::string_view url(r.url.cStr(), r.url.size());
  auto path = url.substr(0, url.find('?'));
  if (auto a = console_web::find_asset(path))
    return kj::Promise<http_reply>(http_reply{200, "OK", std::string(a->content_type), std::string(a->body)});
  if (path.substr(0, 5) != "/api/") return nullptr;
  if (!r.authorized())
    return kj::Promise<http_reply>(
        json_error(401, "Unauthorized", "this path needs the admin token: Authorization: Bearer TOKEN"));
  return route_api(r);
}

}  // namespace berth::rpc
