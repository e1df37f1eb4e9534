#include "node-agent/docker/docker_runtime.hpp"

#include <fmt/format.h>

#include "node-agent/docker/docker_mapping.hpp"
#include "node-agent/docker/log_stream.hpp"
#include "node-agent/logic/lifecycle_hooks.hpp"

namespace berth::agent::docker {

namespace {

std::string text(capnp::Text::Reader t) { return std::string(t.cStr(), t.size()); }

std::string container_path(std::string_view id, std::string_view rest = {}) {
  return fmt::format("/containers/{}{}", url_encode(id), rest);
}

// dockerd's `stop` waits up to t seconds before SIGKILL, then for the exit:
// the HTTP call must outlive t.
constexpr std::int64_t stop_slack_seconds = 30;

}  // namespace

docker_runtime::docker_runtime(kj::Network& network, kj::Timer& timer, docker_runtime_config config)
    : client_(std::make_shared<docker_client>(network, timer, config.socket)), config_(std::move(config)) {}

// ------------------------------------------------------------------ helpers

kj::Promise<docker_runtime::image_check> docker_runtime::check_image(std::string image) {
  auto path = fmt::format("/images/{}/json", url_encode(image, true));
  return client_->call(kj::HttpMethod::GET, path).then([image](docker_reply reply) {
    image_check check;
    if (reply.status == 404) {
      check.error = image_missing_message(image);
    } else if (!reply.ok()) {
      check.error = docker_error(reply);
    } else {
      check.present = true;
      check.image_id = json_string(json_doc(reply.body).root(), {"Id"});
    }
    return check;
  });
}

kj::Promise<docker_runtime::created> docker_runtime::create_named(std::string name, std::string body,
                                                                  std::string pod_uid, bool retry) {
  auto path = fmt::format("/containers/create?name={}", url_encode(name));
  return client_->call(kj::HttpMethod::POST, path, body)
      .then([this, name, body, pod_uid, retry](docker_reply reply) mutable -> kj::Promise<created> {
        if (reply.status == 201) return created{json_string(json_doc(reply.body).root(), {"Id"}), {}};
        if (reply.status != 409 || !retry) return created{{}, docker_error(reply)};
        // The name is taken: a container of this pod left by an agent that
        // died between create and report? Remove it and retry once.
        auto conflict = docker_error(reply);
        return inspect(name).then(
            [this, name, body, pod_uid, conflict](std::optional<json_doc> stale) mutable -> kj::Promise<created> {
              auto uid_label = text(schema::LABEL_POD_UID.get());
              if (!stale || json_string_map(stale->root(), {"Config", "Labels"})[uid_label] != pod_uid) {
                return created{{}, conflict};
              }
              return remove(json_string(stale->root(), {"Id"}))
                  .then([this, name, body, pod_uid](std::string error) mutable -> kj::Promise<created> {
                    if (!error.empty()) return created{{}, error};
                    return create_named(name, body, pod_uid, false);
                  });
            });
      });
}

kj::Promise<std::string> docker_runtime::start(std::string id) {
  return client_->call(kj::HttpMethod::POST, container_path(id, "/start")).then([](docker_reply reply) -> std::string {
    if (reply.ok() || reply.status == 304) return {};  // 304: already running
    return docker_error(reply);
  });
}

kj::Promise<std::string> docker_runtime::remove(std::string id) {
  return client_->call(kj::HttpMethod::DELETE, container_path(id, "?force=1&v=1"))
      .then([](docker_reply reply) -> std::string {
        if (reply.ok() || reply.status == 404) return {};
        return docker_error(reply);
      });
}

kj::Promise<std::optional<json_doc>> docker_runtime::inspect(std::string id) {
  return client_->call(kj::HttpMethod::GET, container_path(id, "/json"))
      .then([](docker_reply reply) -> std::optional<json_doc> {
        if (reply.status == 404) return std::nullopt;
        if (!reply.ok()) throw docker_failure(docker_error(reply));
        return json_doc(reply.body);
      });
}

// ------------------------------------------------------------------ methods

kj::Promise<void> docker_runtime::version(VersionContext context) {
  return client_->call(kj::HttpMethod::GET, "/version").then([context](docker_reply reply) mutable {
    if (!reply.ok()) throw docker_failure(docker_error(reply));
    json_doc doc(reply.body);
    auto results = context.getResults();
    results.setRuntimeName("docker");
    results.setRuntimeVersion(json_string(doc.root(), {"Version"}));
    results.setApiVersion(json_string(doc.root(), {"ApiVersion"}));
  });
}

kj::Promise<void> docker_runtime::imageStatus(ImageStatusContext context) {
  return check_image(text(context.getParams().getImage())).then([context](image_check check) mutable {
    auto results = context.getResults();
    results.setPresent(check.present);
    results.setImageId(check.image_id);
    results.setError(check.error);
  });
}

kj::Promise<void> docker_runtime::runSandbox(RunSandboxContext context) {
  auto config = context.getParams().getConfig();
  auto name = container_name(text(config.getNamespace()), text(config.getPodName()),
                             text(schema::SANDBOX_CONTAINER_NAME.get()), text(config.getPodUid()), 0);
  auto body = sandbox_create_body(config, config_.pause_image);
  auto uid = text(config.getPodUid());
  auto fail = [context](std::string error) mutable { context.getResults().setError(error); };
  return check_image(config_.pause_image)
      .then([this, name, body, uid](image_check check) mutable -> kj::Promise<created> {
        if (!check.present) return created{{}, check.error};
        return create_named(name, body, uid, true);
      })
      .then([this, context, fail](created made) mutable -> kj::Promise<void> {
        if (!made.error.empty()) {
          fail(made.error);
          return kj::READY_NOW;
        }
        return start(made.id).then([this, context, fail, id = made.id](std::string error) mutable -> kj::Promise<void> {
          if (!error.empty()) {
            // A sandbox that did not start is of no use: do not leave it behind.
            return remove(id).then([fail, error](std::string) mutable { fail(error); });
          }
          return inspect(id).then([context, id](std::optional<json_doc> doc) mutable {
            auto results = context.getResults();
            results.setId(id);
            if (doc) {
              results.setIp(json_string(doc->root(), {"NetworkSettings", "IPAddress"}));
            } else {
              results.setError(fmt::format("sandbox {} vanished right after it started", id));
            }
          });
        });
      });
}

kj::Promise<void> docker_runtime::createContainer(CreateContainerContext context) {
  auto params = context.getParams();
  auto config = params.getConfig();
  auto name = container_name(text(config.getNamespace()), text(config.getPodName()), text(config.getName()),
                             text(config.getPodUid()), config.getAttempt());
  auto body = container_create_body(text(params.getSandboxId()), config);
  auto uid = text(config.getPodUid());
  return check_image(text(config.getImage()))
      .then([this, name, body, uid](image_check check) mutable -> kj::Promise<created> {
        // Never let dockerd look for the image: there is no registry.
        if (!check.present) return created{{}, check.error};
        return create_named(name, body, uid, true);
      })
      .then([context](created made) mutable {
        auto results = context.getResults();
        results.setId(made.id);
        results.setError(made.error);
      });
}

kj::Promise<void> docker_runtime::startContainer(StartContainerContext context) {
  return start(text(context.getParams().getId())).then([context](std::string error) mutable {
    context.getResults().setError(error);
  });
}

kj::Promise<void> docker_runtime::stopContainer(StopContainerContext context) {
  auto params = context.getParams();
  auto grace = std::max<std::int64_t>(params.getTimeoutSeconds(), 0);
  auto path = container_path(text(params.getId()), fmt::format("/stop?t={}", grace));
  return client_->call(kj::HttpMethod::POST, path, {}, (grace + stop_slack_seconds) * kj::SECONDS)
      .then([context](docker_reply reply) mutable {
        // 304: already stopped; 404: gone. Both are what the caller wanted.
        if (reply.ok() || reply.status == 304 || reply.status == 404) return;
        context.getResults().setError(docker_error(reply));
      });
}

kj::Promise<void> docker_runtime::removeContainer(RemoveContainerContext context) {
  return remove(text(context.getParams().getId())).then([context](std::string error) mutable {
    context.getResults().setError(error);
  });
}

kj::Promise<void> docker_runtime::listContainers(ListContainersContext context) {
  auto path = list_path(context.getParams().getFilter());
  return client_->call(kj::HttpMethod::GET, path)
      .then([this](docker_reply reply) {
        if (!reply.ok()) throw docker_failure(docker_error(reply));
        auto ids = listed_ids(json_doc(reply.body).root());
        auto inspects = kj::heapArrayBuilder<kj::Promise<std::optional<json_doc>>>(ids.size());
        for (auto& id : ids) inspects.add(inspect(id));
        return kj::joinPromises(inspects.finish());
      })
      .then([context](kj::Array<std::optional<json_doc>> docs) mutable {
        unsigned found = 0;
        for (auto& doc : docs) found += doc ? 1 : 0;  // removed between list and inspect
        auto list = context.getResults().initContainers(found);
        unsigned i = 0;
        for (auto& doc : docs) {
          if (doc) fill_container_info(doc->root(), list[i++]);
        }
      });
}

kj::Promise<void> docker_runtime::inspectContainer(InspectContainerContext context) {
  return inspect(text(context.getParams().getId())).then([context](std::optional<json_doc> doc) mutable {
    auto results = context.getResults();
    results.setFound(doc.has_value());
    if (doc) fill_container_info(doc->root(), results.initInfo());
  });
}

// A file of the container through GET /containers/{id}/archive: a tar of
// that one file (it works on exited containers too, bind mounts included).
kj::Promise<void> docker_runtime::readFile(ReadFileContext context) {
  auto params = context.getParams();
  auto path = fmt::format("/containers/{}/archive?path={}", url_encode(text(params.getId())),
                          url_encode(text(params.getPath())));
  auto max_bytes = params.getMaxBytes();
  return client_->call(kj::HttpMethod::GET, path).then([context, max_bytes](docker_reply reply) mutable {
    auto results = context.getResults();
    if (reply.status == 404) return;  // no such file (or container): not found, no error
    if (!reply.ok()) return results.setError(docker_error(reply));
    auto content = tar_first_file(reply.body, max_bytes);
    if (!content) return;
    results.setFound(true);
    results.setContent(kj::arrayPtr(reinterpret_cast<const kj::byte*>(content->data()), content->size()));
  });
}

// The log's last lines, demultiplexed (a TTY container's log is not
// multiplexed: then the body is the log).
kj::Promise<void> docker_runtime::tailLog(TailLogContext context) {
  auto params = context.getParams();
  auto path = fmt::format("/containers/{}/logs?stdout=1&stderr=1&tail={}", url_encode(text(params.getId())),
                          params.getLines());
  return client_->call(kj::HttpMethod::GET, path).then([context](docker_reply reply) mutable {
    auto results = context.getResults();
    if (!reply.ok()) return results.setError(docker_error(reply));
    log_demuxer demux;
    auto fed = demux.feed(reply.body);
    std::string log;
    if (fed.error.empty() && demux.finish().empty()) {
      for (auto& frame : fed.frames) log += frame.payload;
    } else {
      log = reply.body;
    }
    results.setContent(kj::arrayPtr(reinterpret_cast<const kj::byte*>(log.data()), log.size()));
  });
}

}  // namespace berth::agent::docker
