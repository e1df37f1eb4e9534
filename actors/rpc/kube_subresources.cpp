// Pod subresources other than status:
// - pods/eviction (kubectl drain): a graceful delete;
// - pods/log: a container's output, streamed from the pod's node agent
//   through berthd (the same NodeAgent.logs call `berth logs` uses). Without
//   `follow` the whole answer is collected and sent with its length; with
//   `follow` it is sent as it arrives (chunked), until the container ends or
//   the client goes away.
#include <charconv>
#include <memory>
#include <string>

#include <fmt/format.h>
#include <kj/debug.h>
#include <yaml-cpp/yaml.h>

#include "actors/rpc/kube_internal.hpp"

namespace berth::rpc {
namespace {

/// Collects the agent's bytes into one string.
class collecting_sink final : public schema::ByteSink::Server {
 public:
  explicit collecting_sink(std::shared_ptr<std::string> out) : out_(std::move(out)) {}

 protected:
  kj::Promise<void> write(WriteContext c) override {
    auto data = c.getParams().getData();
    out_->append(reinterpret_cast<const char*>(data.begin()), data.size());
    return kj::READY_NOW;
  }
  kj::Promise<void> done(DoneContext) override { return kj::READY_NOW; }

 private:
  std::shared_ptr<std::string> out_;
};

/// A followed log's HTTP side. The response stream belongs to the request:
/// once the request is over (the client left, or the log ended) it is gone,
/// and the agent, which may still hold the sink, must not write to it.
struct follow_stream {
  kj::Own<kj::AsyncOutputStream> out;
  kj::Own<kj::PromiseFulfiller<void>> ended;
  bool open = true;

  void close() {
    open = false;
    out = nullptr;
    if (ended->isWaiting()) ended->fulfill();
  }
};

/// Writes the agent's bytes straight to the HTTP response, one write at a
/// time (ByteSink.write is a streaming call: the agent waits for each).
class response_sink final : public schema::ByteSink::Server {
 public:
  explicit response_sink(std::shared_ptr<follow_stream> stream) : stream_(std::move(stream)) {}
  ~response_sink() {
    if (stream_->ended->isWaiting()) stream_->ended->fulfill();
  }

 protected:
  kj::Promise<void> write(WriteContext c) override {
    // An error stops the agent's stream: nobody reads it any more.
    if (!stream_->open) return KJ_EXCEPTION(DISCONNECTED, "the client stopped following the log");
    auto data = c.getParams().getData();
    auto copy = kj::heapArray<kj::byte>(data);
    auto& ref = copy;
    return stream_->out->write(ref.begin(), ref.size()).attach(kj::mv(copy));
  }
  kj::Promise<void> done(DoneContext) override {
    if (stream_->ended->isWaiting()) stream_->ended->fulfill();
    return kj::READY_NOW;
  }

 private:
  std::shared_ptr<follow_stream> stream_;
};

/// Closes the follow stream when the request ends, however it ends.
struct follow_guard {
  explicit follow_guard(std::shared_ptr<follow_stream> s) : stream(std::move(s)) {}
  follow_guard(const follow_guard&) = delete;
  follow_guard& operator=(const follow_guard&) = delete;
  ~follow_guard() { stream->close(); }
  std::shared_ptr<follow_stream> stream;
};

bool flag(const kube_call& call, const char* name) {
  const auto& v = call.param(name);
  return v == "true" || v == "1";
}

/// What pods/log names: the pod (from the store), its container and the
/// options; or the answer refusing the request.
struct log_target {
  model::pod pod;
  std::string container;
  std::int64_t tail = -1;
};

kj::Promise<kj::OneOf<log_target, kube_answer>> find_log_target(const kube_call& call) {
  using result = kj::OneOf<log_target, kube_answer>;
  std::int64_t tail = -1;
  if (const auto& t = call.param("tailLines"); !t.empty()) {
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), tail);
    if (ec != std::errc() || end != t.data() + t.size() || tail < 0)
      return result(answer_of(kube::bad_request(fmt::format("tailLines: not a whole number: \"{}\"", t))));
  }
  auto [promise, done] = reply_to<actors::outcome>();
  call.ctx.cp.ask(actors::get_query{{actors::kind::pod, call.target.namespace_, call.target.name}}, done);
  return promise.then([&call, tail](actors::outcome o) -> result {
    if (o.result != actors::outcome::code::ok || !o.object)
      return answer_of(kube::not_found(call.target.resource, call.target.name));
    auto pod = std::get<model::pod>(*o.object);
    std::string container = call.param("container");
    if (container.empty()) {
      if (pod.spec.containers.size() != 1) {
        std::vector<std::string> names;
        for (const auto& c : pod.spec.containers) names.push_back(c.name);
        return answer_of(kube::bad_request(fmt::format("a container name must be specified for pod {}, choose one of: [{}]",
                                                       pod.metadata.name, fmt::join(names, " "))));
      }
      container = pod.spec.containers[0].name;
    }
    if (pod.spec.node_name.empty())
      return answer_of(kube::bad_request(fmt::format("pod {} is not scheduled to a node yet", pod.metadata.name)));
    return log_target{std::move(pod), std::move(container), tail};
  });
}

/// The agent's logs call for `t`, its sink still to set; nullptr when the
/// pod's node has no agent connected.
kj::Maybe<capnp::Request<schema::NodeAgent::LogsParams, schema::NodeAgent::LogsResults>> log_request(
    const kube_call& call, const log_target& t, bool follow) {
  KJ_IF_MAYBE (agent, call.ctx.agents.find(t.pod.spec.node_name)) {
    auto req = agent->logsRequest();
    auto ref = req.initPod();
    ref.setNamespace(t.pod.metadata.namespace_);
    ref.setName(t.pod.metadata.name);
    ref.setUid(t.pod.metadata.uid);
    auto options = req.initOptions();
    options.setContainer(t.container);
    options.setFollow(follow);
    options.setTailLines(t.tail);
    options.setPrevious(flag(call, "previous"));
    options.setTimestamps(flag(call, "timestamps"));
    return kj::mv(req);
  }
  return nullptr;
}

kube_answer not_connected(const log_target& t) {
  return answer_of(kube::service_unavailable(
      fmt::format("node {} of pod {} is not connected", t.pod.spec.node_name, t.pod.metadata.name)));
}

}  // namespace

bool is_log_follow(const kube_call& call) {
  return call.method == kj::HttpMethod::GET && call.target.resource == "pods" && call.target.subresource == "log" &&
         flag(call, "follow");
}

/// pods/eviction (what kubectl drain posts): a graceful delete of the pod,
/// with the Eviction's deleteOptions. berth has no disruption budgets, so an
/// eviction is never refused for that reason.
kj::Promise<kube_answer> evict(const kube_call& call) {
  std::int64_t grace = -1;
  if (!call.body.empty()) {
    try {
      auto doc = YAML::Load(call.body);
      if (!doc.IsMap()) return answer_of(kube::bad_request("request body: expected an Eviction object"));
      if (doc["kind"] && doc["kind"].as<std::string>() != "Eviction")
        return answer_of(kube::bad_request(
            fmt::format("request body: kind {} is not Eviction", doc["kind"].as<std::string>())));
      auto options = doc["deleteOptions"];
      if (options && options["gracePeriodSeconds"]) grace = options["gracePeriodSeconds"].as<std::int64_t>();
    } catch (const YAML::Exception& e) {
      return answer_of(kube::bad_request(fmt::format("request body: not an Eviction: {}", e.what())));
    }
  }
  auto [promise, done] = reply_to<actors::outcome>();
  call.ctx.cp.ask(
      actors::delete_cmd{call.principal, {actors::kind::pod, call.target.namespace_, call.target.name}, grace}, done);
  return promise.then([&call](actors::outcome o) -> kube_answer {
    if (o.result == actors::outcome::code::not_found)
      return answer_of(kube::not_found(call.target.resource, call.target.name));
    if (o.result != actors::outcome::code::ok) return answer_of(kube::bad_request(o.message));
    auto status = kube::success_status(call.target.resource, call.target.name,
                                       o.object ? actors::meta_of(*o.object).uid : "");
    return {201, std::move(status.body)};
  });
}

kj::Promise<kube_answer> serve_subresource(const kube_call& call, actors::kind k) {
  const auto& sub = call.target.subresource;
  if (k == actors::kind::pod && sub == "eviction") {
    if (call.method != kj::HttpMethod::POST) return answer_of(kube::method_not_allowed("pods/eviction", "this method"));
    return evict(call);
  }
  if (k != actors::kind::pod || sub != "log")
    return answer_of(kube::not_found(call.target.resource + "/" + sub, call.target.name));
  if (call.method != kj::HttpMethod::GET) return answer_of(kube::method_not_allowed("pods/log", "this method"));
  return find_log_target(call).then([&call](kj::OneOf<log_target, kube_answer> found) -> kj::Promise<kube_answer> {
    KJ_SWITCH_ONEOF(found) {
      KJ_CASE_ONEOF(refusal, kube_answer) { return kj::mv(refusal); }
      KJ_CASE_ONEOF(t, log_target) {
        KJ_IF_MAYBE (req, log_request(call, t, false)) {
          auto text = std::make_shared<std::string>();
          req->setSink(kj::heap<collecting_sink>(text));
          return req->send().then([text](auto r) -> kube_answer {
            if (r.getError().size() > 0) return answer_of(kube::bad_request(r.getError().cStr()));
            return {200, *text, "text/plain"};
          });
        }
        return not_connected(t);
      }
    }
    KJ_UNREACHABLE;
  });
}

kj::Promise<void> serve_log_follow(kube_call call_value, kj::HttpService::Response& response,
                                   kj::HttpHeaderTable& table) {
  auto owned = kj::heap<kube_call>(kj::mv(call_value));
  const auto& call = *owned;
  return find_log_target(call)
      .then([&call, &response, &table](kj::OneOf<log_target, kube_answer> found) -> kj::Promise<void> {
        kube_answer refusal;
        KJ_SWITCH_ONEOF(found) {
          KJ_CASE_ONEOF(r, kube_answer) { refusal = kj::mv(r); }
          KJ_CASE_ONEOF(t, log_target) {
            KJ_IF_MAYBE (req, log_request(call, t, true)) {
              kj::HttpHeaders headers(table);
              headers.set(kj::HttpHeaderId::CONTENT_TYPE, "text/plain");
              auto stream = std::make_shared<follow_stream>();
              stream->out = response.send(200, "OK", headers);
              auto paf = kj::newPromiseAndFulfiller<void>();
              stream->ended = kj::mv(paf.fulfiller);
              req->setSink(kj::heap<response_sink>(stream));
              // Ends when the agent says done, the call fails, or the client leaves.
              auto call_done = req->send().ignoreResult().catch_([](kj::Exception&&) {});
              auto gone = stream->out->whenWriteDisconnected();
              return paf.promise.exclusiveJoin(kj::mv(call_done))
                  .exclusiveJoin(kj::mv(gone))
                  .attach(kj::heap<follow_guard>(stream));
            }
            refusal = not_connected(t);
          }
        }
        return send_kube_answer(response, table, kj::mv(refusal));
      })
      .attach(kj::mv(owned));
}

}  // namespace berth::rpc
