#include "node-agent/hollow/hollow_runtime.hpp"

#include <algorithm>
#include <string_view>

#include <fmt/format.h>

namespace berth::agent {
namespace {

using berth::schema::ContainerStateKind;

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string_view view(kj::StringPtr s) { return {s.cStr(), s.size()}; }

/// A stable stand-in for an image digest: FNV-1a of the name (every image is "present").
std::string image_id_of(std::string_view image) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : image) h = (h ^ c) * 0x100000001b3ULL;
  return fmt::format("hollow:{:016x}", h);
}

constexpr std::int32_t k_sigterm_exit = 143;  // 128 + SIGTERM: what Docker reports after a stop

}  // namespace

/// One watchEvents subscriber. The handle given to the client and the
/// runtime's list share it; dropping or cancelling the handle marks it, and
/// the runtime forgets it at the next event.
struct hollow_runtime::watcher : kj::Refcounted {
  explicit watcher(berth::schema::RuntimeEventSink::Client s) : sink(kj::mv(s)) {}
  berth::schema::RuntimeEventSink::Client sink;
  bool cancelled = false;
};

namespace {

class watch_handle final : public berth::schema::WatchHandle::Server {
 public:
  explicit watch_handle(kj::Own<kj::Refcounted> keep, bool& cancelled) : keep_(kj::mv(keep)), cancelled_(cancelled) {}
  ~watch_handle() noexcept(false) { cancelled_ = true; }

 protected:
  kj::Promise<void> cancel(CancelContext) override {
    cancelled_ = true;
    return kj::READY_NOW;
  }

 private:
  kj::Own<kj::Refcounted> keep_;  // keeps `cancelled_` alive
  bool& cancelled_;
};

}  // namespace

hollow_runtime::hollow_runtime(hollow_runtime_config config, kj::Timer& timer)
    : config_(std::move(config)), timer_(timer), random_(config_.seed), events_(*this) {}

hollow_runtime::~hollow_runtime() noexcept(false) = default;

std::string hollow_runtime::new_id() {
  for (;;) {
    std::string id = fmt::format("{:016x}", random_());
    if (containers_.count(id) == 0) return id;
  }
}

std::string hollow_runtime::next_ip() {
  const auto given = std::count(config_.ip_prefix.begin(), config_.ip_prefix.end(), '.');
  const int free_octets = std::max(1, 4 - static_cast<int>(given));
  // Host numbers 1..254 in the last octet: .0 and .255 look like network and broadcast.
  std::uint64_t n = next_ip_++;
  std::string octets = std::to_string(n % 254 + 1);
  n /= 254;
  for (int i = 1; i < free_octets; ++i) {
    octets = std::to_string(n % 256) + "." + octets;
    n /= 256;
  }
  return config_.ip_prefix + octets;
}

hollow_runtime::record* hollow_runtime::find(kj::StringPtr id) {
  auto it = containers_.find(std::string(view(id)));
  return it == containers_.end() ? nullptr : &it->second;
}

std::optional<std::string> hollow_runtime::label_value(const record& r, kj::StringPtr key) const {
  namespace s = berth::schema;
  if (key == *s::LABEL_NODE) return r.pod->node;
  if (key == *s::LABEL_POD_UID) return r.pod->uid;
  if (key == *s::LABEL_POD_NAMESPACE) return r.pod->namespace_;
  if (key == *s::LABEL_POD_NAME) return r.pod->name;
  if (key == *s::LABEL_CONTAINER_NAME) return r.name;
  if (key == *s::LABEL_ATTEMPT) return std::to_string(r.attempt);
  if (key == *s::LABEL_GRACE_PERIOD) return std::to_string(r.pod->grace_period);
  if (key == *s::LABEL_SPEC_HASH && !r.spec_hash.empty()) return r.spec_hash;
  if (key == *s::LABEL_BACKOFF_DELAY && r.backoff_delay > 0) return std::to_string(r.backoff_delay);
  return std::nullopt;
}

bool hollow_runtime::matches(const record& r, berth::schema::LabelFilter::Reader filter) const {
  if (!filter.getIncludeExited() && r.state != ContainerStateKind::RUNNING) return false;
  for (auto kv : filter.getLabels()) {
    auto value = label_value(r, kv.getKey());
    if (!value || *value != view(kv.getValue())) return false;
  }
  return true;
}

std::vector<std::pair<kj::StringPtr, std::string>> hollow_runtime::labels_of(const record& r) const {
  namespace s = berth::schema;
  const kj::StringPtr keys[] = {*s::LABEL_NODE,         *s::LABEL_POD_UID,        *s::LABEL_POD_NAMESPACE,
                                *s::LABEL_POD_NAME,     *s::LABEL_CONTAINER_NAME, *s::LABEL_ATTEMPT,
                                *s::LABEL_GRACE_PERIOD, *s::LABEL_SPEC_HASH,      *s::LABEL_BACKOFF_DELAY};
  std::vector<std::pair<kj::StringPtr, std::string>> labels;
  for (auto key : keys) {
    if (auto v = label_value(r, key)) labels.emplace_back(key, std::move(*v));
  }
  return labels;
}

namespace {

void set_labels(const std::vector<std::pair<kj::StringPtr, std::string>>& labels,
                capnp::List<berth::schema::KeyValue>::Builder list) {
  for (unsigned i = 0; i < labels.size(); ++i) {
    list[i].setKey(labels[i].first);
    list[i].setValue(labels[i].second);
  }
}

}  // namespace

void hollow_runtime::fill(const record& r, berth::schema::ContainerInfo::Builder info) const {
  info.setId(r.id);
  const auto labels = labels_of(r);
  set_labels(labels, info.initLabels(static_cast<unsigned>(labels.size())));
  info.setImage(r.image);
  info.setImageId(image_id_of(r.image));
  info.setState(r.state);
  info.setExitCode(r.exit_code);
  info.setCreatedAt(r.created_at);
  info.setStartedAt(r.started_at);
  info.setFinishedAt(r.finished_at);
  info.setIp(r.ip);
  info.setError(r.error);
  // A made-up but stable pid while running, as a real runtime reports one.
  info.setPid(r.state == ContainerStateKind::RUNNING ? static_cast<std::int32_t>(1000 + r.serial % 1'000'000) : 0);
}

void hollow_runtime::emit(const record& r, kj::StringPtr action) {
  watchers_.erase(std::remove_if(watchers_.begin(), watchers_.end(), [](const auto& w) { return w->cancelled; }),
                  watchers_.end());
  for (auto& w : watchers_) {
    auto request = w->sink.eventRequest();
    request.setContainerId(r.id);
    request.setAction(action);
    const auto labels = labels_of(r);
    set_labels(labels, request.initLabels(static_cast<unsigned>(labels.size())));
    events_.add(request.send().catch_([w = kj::addRef(*w)](kj::Exception&&) mutable {
      w->cancelled = true;  // the sink is gone: stop delivering to it
    }));
  }
}

void hollow_runtime::taskFailed(kj::Exception&&) {
  // Deliveries catch their own errors (see emit); nothing else runs here.
}

kj::Promise<void> hollow_runtime::version(VersionContext context) {
  auto results = context.getResults();
  results.setRuntimeName("hollow");
  results.setRuntimeVersion("1");
  results.setApiVersion("1");
  return kj::READY_NOW;
}

kj::Promise<void> hollow_runtime::imageStatus(ImageStatusContext context) {
  auto results = context.getResults();
  results.setPresent(true);
  results.setImageId(image_id_of(view(context.getParams().getImage())));
  results.setError("");
  return kj::READY_NOW;
}

kj::Promise<void> hollow_runtime::runSandbox(RunSandboxContext context) {
  auto config = context.getParams().getConfig();
  auto pod = std::make_shared<pod_identity>();
  pod->node = view(config.getNode());
  pod->uid = view(config.getPodUid());
  pod->namespace_ = view(config.getNamespace());
  pod->name = view(config.getPodName());
  pod->grace_period = config.getGracePeriodSeconds();
  record r;
  r.id = new_id();
  r.pod = std::move(pod);
  r.name = view(*berth::schema::SANDBOX_CONTAINER_NAME);
  r.image = "berth/pause";
  r.ip = config.getHostNetwork() ? "" : next_ip();
  r.state = ContainerStateKind::RUNNING;
  r.created_at = r.started_at = now_ns();
  r.serial = next_serial_++;
  auto results = context.getResults();
  results.setId(r.id);
  results.setIp(r.ip);
  results.setError("");
  auto& stored = containers_.emplace(r.id, std::move(r)).first->second;
  emit(stored, "start");
  return kj::READY_NOW;
}

kj::Promise<void> hollow_runtime::createContainer(CreateContainerContext context) {
  auto params = context.getParams();
  auto config = params.getConfig();
  auto results = context.getResults();
  const record* sandbox = find(params.getSandboxId());
  if (sandbox == nullptr || sandbox->name != view(*berth::schema::SANDBOX_CONTAINER_NAME)) {
    results.setError(fmt::format("no sandbox {}", view(params.getSandboxId())));
    return kj::READY_NOW;
  }
  record r;
  r.id = new_id();
  if (sandbox->pod->uid == view(config.getPodUid())) {
    r.pod = sandbox->pod;  // shared: one copy of the pod's labels
  } else {
    r.pod = std::make_shared<pod_identity>(
        pod_identity{std::string(view(config.getNode())), std::string(view(config.getPodUid())),
                     std::string(view(config.getNamespace())), std::string(view(config.getPodName())),
                     config.getGracePeriodSeconds()});
  }
  r.name = view(config.getName());
  r.attempt = config.getAttempt();
  r.backoff_delay = config.getBackoffDelayNs();
  r.spec_hash = view(config.getSpecHash());
  r.image = view(config.getImage());
  r.created_at = now_ns();
  r.serial = next_serial_++;
  results.setId(r.id);
  results.setError("");
  containers_.emplace(r.id, std::move(r));
  return kj::READY_NOW;
}

/// Ends a start begun start_latency ago: running, or (failure_rate) exited 1.
std::string hollow_runtime::finish_start(const std::string& id) {
  auto it = containers_.find(id);
  if (it == containers_.end()) return fmt::format("container {} was removed before it started", id);
  record& r = it->second;
  if (r.state != ContainerStateKind::CREATED) return "";  // started (or stopped) meanwhile
  r.started_at = now_ns();
  // 53 random bits as a double in [0, 1): the same draw on every platform.
  const double draw = static_cast<double>(random_() >> 11) * 0x1.0p-53;
  if (draw < config_.failure_rate) {
    r.state = ContainerStateKind::EXITED;
    r.exit_code = 1;
    r.finished_at = r.started_at;
    r.error = "simulated start failure";
    emit(r, "die");
    return r.error;
  }
  r.state = ContainerStateKind::RUNNING;
  emit(r, "start");
  return "";
}

kj::Promise<void> hollow_runtime::startContainer(StartContainerContext context) {
  std::string id(view(context.getParams().getId()));
  const record* r = find(context.getParams().getId());
  if (r == nullptr) {
    context.getResults().setError(fmt::format("no container {}", id));
    return kj::READY_NOW;
  }
  if (r->state == ContainerStateKind::RUNNING) return kj::READY_NOW;  // as Docker: already started
  if (r->state != ContainerStateKind::CREATED) {
    context.getResults().setError(fmt::format("container {} has exited: create a new one", id));
    return kj::READY_NOW;
  }
  if (config_.start_latency.count() <= 0) {
    context.getResults().setError(finish_start(id));
    return kj::READY_NOW;
  }
  return timer_.afterDelay(config_.start_latency.count() * kj::MILLISECONDS)
      .then([this, id = std::move(id), context]() mutable { context.getResults().setError(finish_start(id)); });
}

kj::Promise<void> hollow_runtime::stopContainer(StopContainerContext context) {
  context.getResults().setError("");
  record* r = find(context.getParams().getId());
  if (r == nullptr || r->state != ContainerStateKind::RUNNING) return kj::READY_NOW;
  // No process to wait for: SIGTERM "works" at once.
  r->state = ContainerStateKind::EXITED;
  r->exit_code = k_sigterm_exit;
  r->finished_at = now_ns();
  emit(*r, "die");
  return kj::READY_NOW;
}

kj::Promise<void> hollow_runtime::removeContainer(RemoveContainerContext context) {
  containers_.erase(std::string(view(context.getParams().getId())));
  context.getResults().setError("");
  return kj::READY_NOW;
}

kj::Promise<void> hollow_runtime::listContainers(ListContainersContext context) {
  auto filter = context.getParams().getFilter();
  std::vector<const record*> found;
  for (const auto& [id, r] : containers_) {
    if (matches(r, filter)) found.push_back(&r);
  }
  // Creation order: the same answer for the same history.
  std::sort(found.begin(), found.end(), [](const record* a, const record* b) { return a->serial < b->serial; });
  auto list = context.getResults().initContainers(static_cast<unsigned>(found.size()));
  for (unsigned i = 0; i < found.size(); ++i) fill(*found[i], list[i]);
  return kj::READY_NOW;
}

kj::Promise<void> hollow_runtime::inspectContainer(InspectContainerContext context) {
  const record* r = find(context.getParams().getId());
  auto results = context.getResults();
  results.setFound(r != nullptr);
  if (r != nullptr) fill(*r, results.initInfo());
  return kj::READY_NOW;
}

kj::Promise<void> hollow_runtime::logs(LogsContext context) {
  context.getResults().setError("hollow nodes run no containers: there are no logs");
  return kj::READY_NOW;
}

kj::Promise<void> hollow_runtime::execSync(ExecSyncContext context) {
  const record* r = find(context.getParams().getId());
  auto results = context.getResults();
  if (r == nullptr) {
    results.setError(fmt::format("no container {}", view(context.getParams().getId())));
  } else if (r->state != ContainerStateKind::RUNNING) {
    results.setError(fmt::format("container {} is not running", r->id));
  } else {
    results.setExitCode(0);  // every probe passes on a hollow node
  }
  return kj::READY_NOW;
}

kj::Promise<void> hollow_runtime::watchEvents(WatchEventsContext context) {
  auto w = kj::refcounted<watcher>(context.getParams().getSink());
  bool& cancelled = w->cancelled;
  auto keep = kj::addRef(*w);
  watchers_.push_back(kj::mv(w));
  context.getResults().setHandle(kj::heap<watch_handle>(kj::mv(keep), cancelled));
  return kj::READY_NOW;
}

}  // namespace berth::agent
