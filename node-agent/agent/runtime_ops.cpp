// pod_ops over the container runtime interface: what pod actors ask (observe,
// apply a plan, probe) done on the KJ thread, with the answer sent back through
// the actor's callback.
#include <caf/all.hpp>
#include <fmt/format.h>

#include "node-agent/agent/node_session_impl.hpp"
#include "node-agent/agent/runtime_view.hpp"
#include "node-agent/logic/lifecycle_hooks.hpp"
#include "node-agent/logic/pod_secrets.hpp"
#include "node-agent/logic/pod_volumes.hpp"
#include "node-agent/logic/probe_events.hpp"
#include "node-agent/logic/service_env.hpp"
#include "actors/text/kj_describe.hpp"

namespace berth::agent {
namespace {

/// The plan in flight: errors are collected, the callback runs once at the end.
struct apply_job {
  model::pod pod;
  pod_plan plan;
  std::string sandbox_id;
  std::vector<apply_error> errors;
  std::function<void(std::vector<apply_error>)> done;
};

int resolve_port(const model::int_or_string& port, const model::container* c) {
  if (auto* n = std::get_if<std::int32_t>(&port.value)) return *n;
  if (auto* name = std::get_if<std::string>(&port.value); name && c)
    for (const auto& p : c->ports)
      if (p.name == *name) return p.container_port;
  return 0;
}

}  // namespace

// ------------------------------------------------------------------- observe

void node_session::impl::observe(model::pod pod, std::function<void(observation)> done) {
  auto req = runtime.listContainersRequest();
  auto filter = req.initFilter();
  filter.setIncludeExited(true);
  auto labels = filter.initLabels(2);
  labels[0].setKey(schema::LABEL_NODE);
  labels[0].setValue(config.node.name);
  labels[1].setKey(schema::LABEL_POD_UID);
  labels[1].setValue(pod.metadata.uid);
  // A bound claim's volume is provided as its source (pod_claims.hpp).
  auto volumes_waiting =
      volumes_unavailable(with_bound_claims(pod, claims).spec, volumes.support(), pod.metadata.namespace_, secrets);
  auto config_errors = env_config_errors(pod, secrets);
  auto listed = req.send()
                    .then([](auto response) { return observe_pod(response.getContainers()); })
                    .then([this, pod](observed_pod o) { return add_exit_details(pod, std::move(o)); });
  auto images = lookup_images(pod);
  tasks.add(listed
                .then([images = kj::mv(images)](observed_pod o) mutable {
                  return images.then([o = std::move(o)](std::map<std::string, std::string> errors) mutable {
                    observation result;
                    result.pod = std::move(o);
                    result.image_errors = std::move(errors);
                    return result;
                  });
                })
                .then([done, volumes_waiting, config_errors = std::move(config_errors)](observation o) {
                        o.volumes_waiting = volumes_waiting;
                        o.config_errors = config_errors;
                        done(std::move(o));
                      },
                      [done](kj::Exception&& e) {
                        observation o;
                        o.ok = false;
                        o.error = "the container runtime did not answer: " + text::describe(e);
                        done(std::move(o));
                      }));
}

// ------------------------------------------- exited containers: their messages

kj::Promise<std::string> node_session::impl::read_termination_message(const observed_container& c,
                                                                      const model::container& spec) {
  auto req = runtime.readFileRequest();
  req.setId(c.id);
  req.setPath(spec.termination_message_path);
  req.setMaxBytes(static_cast<std::uint32_t>(k_max_termination_message_bytes));
  auto policy = spec.termination_message_policy_;
  return req.send()
      .then(
          [](auto r) {
            auto data = r.getContent();
            return r.getFound() ? std::string(data.begin(), data.end()) : std::string();
          },
          [](kj::Exception&&) { return std::string(); })  // hollow runtimes: no message
      .then([this, policy, exit_code = c.exit_code, id = c.id](std::string message) -> kj::Promise<std::string> {
        if (!wants_log_fallback(policy, message, exit_code)) return message;
        auto tail = runtime.tailLogRequest();
        tail.setId(id);
        tail.setLines(static_cast<std::uint32_t>(k_fallback_log_lines));
        return tail.send().then(
            [](auto r) {
              auto data = r.getContent();
              return log_tail(std::string_view(reinterpret_cast<const char*>(data.begin()), data.size()));
            },
            [](kj::Exception&&) { return std::string(); });
      });
}

kj::Promise<observed_pod> node_session::impl::add_exit_details(const model::pod& pod, observed_pod o) {
  auto result = kj::heap<observed_pod>(std::move(o));
  kj::Vector<kj::Promise<void>> reads;
  for (const auto& c : result->containers) {
    if (c.state_ != observed_container::state::exited || termination_messages.count(c.id) != 0) continue;
    const auto* spec = spec_container(pod, c.name);
    if (spec == nullptr) continue;
    termination_messages[c.id] = "";  // read once: an exited container's file does not change
    reads.add(read_termination_message(c, *spec).then([this, id = c.id](std::string message) {
      termination_messages[id] = std::move(message);
    }));
  }
  return kj::joinPromises(reads.releaseAsArray()).then([this, result = kj::mv(result)]() mutable {
    for (auto& c : result->containers) {
      if (auto it = termination_messages.find(c.id); it != termination_messages.end())
        c.termination_message = it->second;
      if (auto it = hook_failures.find(c.id); it != hook_failures.end()) {
        c.hook_failure_reason = it->second.first;
        c.hook_failure_message = it->second.second;
      }
    }
    return std::move(*result);
  });
}

/// Whether each image of the pod is present, trusting a lookup for `image_cache`.
kj::Promise<std::map<std::string, std::string>> node_session::impl::lookup_images(const model::pod& pod) {
  auto result = kj::heap<std::map<std::string, std::string>>();
  auto now = std::chrono::steady_clock::now();
  kj::Vector<kj::Promise<void>> pending;
  for (const auto& c : pod.spec.containers) {
    if (result->count(c.image)) continue;
    auto it = images.find(c.image);
    if (it != images.end() && now - it->second.at < config.image_cache) {
      (*result)[c.image] = it->second.error;
      continue;
    }
    (*result)[c.image] = "";
    auto req = runtime.imageStatusRequest();
    req.setImage(c.image);
    auto* out = result.get();
    pending.add(req.send().then([this, out, image = c.image, now](auto r) {
      std::string error = r.getPresent() ? "" : std::string(r.getError());
      if (!r.getPresent() && error.empty())
        error = fmt::format("image \"{}\" not present on node and no registry configured", image);
      images[image] = {error, now};
      (*out)[image] = error;
    }));
  }
  return kj::joinPromises(pending.releaseAsArray()).then([result = kj::mv(result)]() mutable {
    return std::move(*result);
  });
}

// --------------------------------------------------------------------- apply

void node_session::impl::apply(model::pod pod, pod_plan plan, std::string sandbox_id,
                               std::function<void(std::vector<apply_error>)> done) {
  auto job = std::make_shared<apply_job>(
      apply_job{std::move(pod), std::move(plan), std::move(sandbox_id), {}, std::move(done)});
  auto grace = grace_period_seconds(job->pod);

  auto stop = [this, job](const std::string& id, std::int64_t seconds, std::string what) {
    auto req = runtime.stopContainerRequest();
    req.setId(id);
    req.setTimeoutSeconds(seconds);
    return req.send().then([job, what](auto r) {
      if (r.getError().size() > 0)
        job->errors.push_back({"", fmt::format("stopping {}: {}", what, r.getError().cStr())});
    });
  };

  // 1. kills and extra sandboxes, in parallel (each waits out its grace
  // period). A container with a preStop hook runs it first; the hook's time
  // counts against the grace period (kubelet's killContainer).
  kj::Vector<kj::Promise<void>> kills;
  for (const auto& k : job->plan.kills) {
    auto seconds = job->pod.metadata.deletion_timestamp != 0 ? grace : job->pod.spec.termination_grace_period_seconds;
    const auto* spec = spec_container(job->pod, k.name);
    const auto* hook = spec != nullptr ? pre_stop_hook(*spec) : nullptr;
    if (hook == nullptr) {
      kills.add(stop(k.id, seconds, "container " + k.name));
      continue;
    }
    auto& timer = io.provider->getTimer();
    auto began = timer.now();
    kills.add(run_hook("preStop", *hook, *spec, k.id, job->pod.status.pod_ip, seconds)
                  .then([this, job, stop, k, seconds, began, &timer](std::string error) {
                    if (!error.empty()) {
                      log(fmt::format("pod {}/{}: container {}: {}: {}", job->pod.metadata.namespace_,
                                      job->pod.metadata.name, k.name, k_reason_failed_pre_stop_hook, error));
                      hook_failures[k.id] = {k_reason_failed_pre_stop_hook, error};
                    }
                    auto elapsed = (timer.now() - began) / kj::NANOSECONDS;
                    return stop(k.id, grace_after_pre_stop(seconds, elapsed), "container " + k.name);
                  }));
  }
  auto step = kj::joinPromises(kills.releaseAsArray()).then([this, job, stop]() {
    kj::Vector<kj::Promise<void>> sandboxes;
    for (const auto& id : job->plan.kill_sandboxes) sandboxes.add(stop(id, 10, "sandbox"));
    return kj::joinPromises(sandboxes.releaseAsArray());
  });

  // 2. a new sandbox when needed
  step = step.then([this, job]() -> kj::Promise<void> {
    if (!job->plan.create_sandbox) return kj::READY_NOW;
    auto req = runtime.runSandboxRequest();
    fill_sandbox_config(job->pod, config.node.name, config.cluster_dns_ip, config.cluster_domain, req.initConfig());
    return req.send().then([job](auto r) {
      if (r.getError().size() > 0)
        job->errors.push_back({"", fmt::format("sandbox: {}", r.getError().cStr())});
      else
        job->sandbox_id = r.getId();
      if (r.getError().size() == 0 && !job->pod.spec.host_network) job->pod.status.pod_ip = r.getIp();
    });
  });

  // 3. starts, one after the other (each joins the sandbox), once the pod's
  // volumes are in place
  step = step.then([this, job]() -> kj::Promise<void> {
    kj::Promise<void> chain = kj::READY_NOW;
    if (job->sandbox_id.empty()) return chain;
    // Bound claims are mounted as their volumes' sources; the containers (and
    // so their spec hashes) stay as berthd sent them.
    auto read_only = std::make_shared<std::set<std::string>>();
    auto mounted = std::make_shared<const model::pod>(with_bound_claims(job->pod, claims, read_only.get()));
    if (auto why = job->plan.starts.empty() ? "" : volumes.prepare_pod(*mounted, secrets); !why.empty()) {
      for (const auto& s : job->plan.starts) job->errors.push_back({s.name, why});
      return chain;
    }
    for (const auto& s : job->plan.starts) {
      chain = chain.then([this, job, s, mounted, read_only]() -> kj::Promise<void> {
        const model::container* c = nullptr;
        for (const auto& spec : job->pod.spec.containers)
          if (spec.name == s.name) c = &spec;
        if (!c) return kj::READY_NOW;
        auto mounts = container_mounts(*mounted, *c, volumes.root(), *read_only);
        if (auto why = volumes.prepare_mounts(mounts); !why.empty()) {
          job->errors.push_back({s.name, why});
          return kj::READY_NOW;
        }
        // The terminationMessagePath is a host file bind-mounted in (kubelet's
        // way), so that the message outlives the container's own /dev.
        if (!volumes.root().empty()) {
          auto host = termination_log_path(volumes.root(), job->pod.metadata.uid, c->name, s.attempt);
          if (auto why = volumes.prepare_file(host); !why.empty()) {
            job->errors.push_back({s.name, why});
            return kj::READY_NOW;
          }
          mounts.push_back({host, c->termination_message_path, false, ""});
        }
        // The secrets may have changed since the observation that planned this start.
        std::string env_error;
        auto env = container_env(job->pod, *c, service_env(services, job->pod.metadata.namespace_), secrets, env_error);
        if (!env) {
          job->errors.push_back({s.name, env_error});
          return kj::READY_NOW;
        }
        auto req = runtime.createContainerRequest();
        req.setSandboxId(job->sandbox_id);
        fill_container_config(job->pod, *c, s, config.node.name, *env, req.initConfig());
        fill_mounts(mounts, req.getConfig());
        return req.send().then([this, job, c, name = s.name](auto r) -> kj::Promise<void> {
          if (r.getError().size() > 0) {
            job->errors.push_back({name, r.getError()});
            return kj::READY_NOW;
          }
          std::string id = r.getId();
          auto start = runtime.startContainerRequest();
          start.setId(id);
          return start.send().then([this, job, c, name, id](auto started) -> kj::Promise<void> {
            if (started.getError().size() > 0) {
              job->errors.push_back({name, started.getError()});
              return kj::READY_NOW;
            }
            const auto* hook = post_start_hook(*c);
            if (hook == nullptr) return kj::READY_NOW;
            // postStart right after the start; when it fails the container is
            // killed, and restartPolicy decides (with back-off) what follows.
            return run_hook("postStart", *hook, *c, id, job->pod.status.pod_ip, k_post_start_timeout_seconds)
                .then([this, job, name, id](std::string error) -> kj::Promise<void> {
                  if (error.empty()) return kj::READY_NOW;
                  log(fmt::format("pod {}/{}: container {}: {}: {}", job->pod.metadata.namespace_,
                                  job->pod.metadata.name, name, k_reason_failed_post_start_hook, error));
                  hook_failures[id] = {k_reason_failed_post_start_hook, error};
                  auto kill = runtime.stopContainerRequest();
                  kill.setId(id);
                  kill.setTimeoutSeconds(job->pod.spec.termination_grace_period_seconds);
                  return kill.send().ignoreResult();
                });
          });
        });
      });
    }
    return chain;
  });

  // 4. garbage: dead containers beyond the newest one per name
  step = step.then([this, job]() {
    kj::Vector<kj::Promise<void>> removals;
    for (const auto& id : job->plan.removals) {
      termination_messages.erase(id);
      hook_failures.erase(id);
      auto req = runtime.removeContainerRequest();
      req.setId(id);
      removals.add(req.send().then([job, id](auto r) {
        if (r.getError().size() > 0)
          job->errors.push_back({"", fmt::format("removing {}: {}", id, r.getError().cStr())});
      }));
    }
    return kj::joinPromises(removals.releaseAsArray());
  });

  tasks.add(step.then([job]() { job->done(std::move(job->errors)); },
                      [job](kj::Exception&& e) {
                        job->errors.push_back({"", "the container runtime failed: " + text::describe(e)});
                        job->done(std::move(job->errors));
                      }));
}

// --------------------------------------------------------------------- probes

kj::Promise<probe_result> node_session::impl::run_action(const model::lifecycle_handler& action,
                                                         const std::string& container_id, const std::string& ip,
                                                         int port, int timeout_seconds) {
  kj::Promise<probe_result> result = nullptr;
  if (auto* exec = std::get_if<model::exec_action>(&action)) {
    auto req = runtime.execSyncRequest();
    req.setId(container_id);
    auto cmd = req.initCommand(exec->command.size());
    for (unsigned i = 0; i < exec->command.size(); ++i) cmd.set(i, exec->command[i]);
    req.setTimeoutSeconds(std::max(1, timeout_seconds));
    return req.send().then([](auto r) {
      probe_result out;
      out.success = r.getError().size() == 0 && !r.getTimedOut() && r.getExitCode() == 0;
      if (r.getError().size() > 0)
        out.message = r.getError();
      else if (r.getTimedOut())
        out.message = "command timed out";
      else if (!out.success)
        out.message = exec_failure_message(
            r.getExitCode(), std::string_view(reinterpret_cast<const char*>(r.getOutput().begin()), r.getOutput().size()));
      return out;
    });
  }
  auto* http = std::get_if<model::http_get_action>(&action);
  std::string host = http && !http->host.empty() ? http->host : ip;
  std::string target = fmt::format("{}:{}", host, port);
  std::string path = http ? (http->path.empty() ? "/" : http->path) : "";
  std::string headers;
  if (http)
    for (const auto& h : http->http_headers) headers += fmt::format("{}: {}\r\n", h.name, h.value);
  auto attempt = io.provider->getNetwork().parseAddress(target).then(
      [](kj::Own<kj::NetworkAddress> a) { return a->connect().attach(kj::mv(a)); });
  if (!http) {
    result = attempt.then([](kj::Own<kj::AsyncIoStream>) { return probe_result{true, ""}; });
  } else {
    result = attempt.then([path, host, headers](kj::Own<kj::AsyncIoStream> stream) {
      auto request_text = kj::heapString(fmt::format(
          "GET {} HTTP/1.0\r\nHost: {}\r\nUser-Agent: berth-probe/1.0\r\nAccept: */*\r\n{}\r\n", path, host,
          headers));
      auto buffer = kj::heapArray<char>(256);
      // Raw pointers: the stream and buffer are attached to the promise below.
      auto* s = stream.get();
      char* data = buffer.begin();
      auto write = s->write(request_text.begin(), request_text.size());
      return write.then([s, data]() { return s->tryRead(data, 12, 256); })
          .then([data](std::size_t n) {
            // "HTTP/1.1 200 ..." — Kubernetes counts 200-399 as success.
            std::string head(data, n);
            int code = head.size() >= 12 ? std::atoi(head.c_str() + 9) : 0;
            probe_result out;
            out.success = code >= 200 && code < 400;
            if (!out.success) out.message = fmt::format("HTTP probe failed with statuscode: {}", code);
            return out;
          })
          .attach(kj::mv(stream), kj::mv(request_text), kj::mv(buffer));
    });
  }
  return result.catch_([target](kj::Exception&& e) {
    return probe_result{false, fmt::format("dial {}: {}", target, text::describe(e))};
  });
}

void node_session::impl::probe(probe_request request, int port, std::function<void(probe_result)> done) {
  const auto& p = request.probe;
  auto timeout = std::max(1, p.timeout_seconds) * kj::SECONDS;
  auto& timer = io.provider->getTimer();
  auto result = run_action(p.handler, request.container_id, request.pod_ip, port, p.timeout_seconds);
  tasks.add(timer.timeoutAfter(timeout, kj::mv(result))
                .then([done](probe_result r) { done(std::move(r)); },
                      [done](kj::Exception&&) {
                        done({false, "probe timed out"});
                      }));
}

kj::Promise<std::string> node_session::impl::run_hook(const char* which, const model::lifecycle_handler& hook,
                                                      const model::container& spec, const std::string& container_id,
                                                      const std::string& ip, std::int64_t timeout_seconds) {
  const char* kind = std::holds_alternative<model::exec_action>(hook)       ? "exec"
                     : std::holds_alternative<model::http_get_action>(hook) ? "httpGet"
                                                                            : "tcpSocket";
  auto port = resolve_hook_port(hook, spec, fmt::format("lifecycle.{}.{}.port", which, kind));
  auto message = [which, hook](const std::string& error) { return hook_failure_message(which, hook, error); };
  if (!port.error.empty()) return message(port.error);
  auto seconds = static_cast<int>(std::clamp<std::int64_t>(timeout_seconds, 1, 24 * 3600));
  auto& timer = io.provider->getTimer();
  return timer.timeoutAfter(seconds * kj::SECONDS, run_action(hook, container_id, ip, port.port, seconds))
      .then([message](probe_result r) { return r.success ? std::string() : message(r.message); },
            [message, seconds](kj::Exception&&) { return message(fmt::format("timed out after {}s", seconds)); });
}

// ------------------------------------------- pod_ops: hop onto the KJ thread

void node_session::observe(const model::pod& pod, std::function<void(observation)> done) {
  auto* s = impl_.get();
  s->inbox.post([s, pod, done = std::move(done)]() mutable { s->observe(std::move(pod), std::move(done)); });
}

void node_session::apply(const model::pod& pod, const pod_plan& plan, const std::string& sandbox_id,
                         std::function<void(std::vector<apply_error>)> done) {
  auto* s = impl_.get();
  s->inbox.post([s, pod, plan, sandbox_id, done = std::move(done)]() mutable {
    s->apply(std::move(pod), std::move(plan), std::move(sandbox_id), std::move(done));
  });
}

void node_session::probe(const probe_request& request, std::function<void(probe_result)> done) {
  auto* s = impl_.get();
  const model::int_or_string* port = nullptr;
  if (auto* h = std::get_if<model::http_get_action>(&request.probe.handler)) port = &h->port;
  if (auto* t = std::get_if<model::tcp_socket_action>(&request.probe.handler)) port = &t->port;
  int resolved = port ? resolve_port(*port, request.container) : 0;
  auto copy = request;
  copy.container = nullptr;  // only valid during this call
  if (port && resolved == 0) return done({false, "probe port does not name a port of the container"});
  s->inbox.post([s, copy = std::move(copy), resolved, done = std::move(done)]() mutable {
    s->probe(std::move(copy), resolved, std::move(done));
  });
}

}  // namespace berth::agent
