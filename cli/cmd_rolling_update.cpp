// `berth rolling-update`: kubectl 1.0's rolling update, run by the client
// with ordinary RC create/apply/scale/delete calls (each a journal event).
// What to do next is decided by cli/rolling_update.hpp from the counts read
// back each time, so that the same command run again after an interruption
// continues, and --rollback runs the same loop the other way.
//
//   check everything (nothing changes on a bad input)
//   → annotate OLD (next-controller-id, original-replicas; --image: relabel
//     OLD's template, its pods, then its selector with deployment=OLDHASH)
//   → create NEW at 0 replicas (or continue with the NEW that exists)
//   → loop: scale NEW, wait for its pods to be ready, wait --update-period,
//     scale OLD down
//   → delete OLD, drop NEW's rollout annotations.
#include <fmt/format.h>
#include <fmt/ostream.h>

#include <chrono>
#include <functional>
#include <optional>
#include <thread>

#include "actors/cmdline/duration.hpp"
#include "cli/client.hpp"
#include "cli/commands.hpp"
#include "cli/format.hpp"
#include "cli/manifest_input.hpp"
#include "cli/outcome_report.hpp"
#include "cli/rolling_update.hpp"

namespace berth::cli {
namespace {

using code = actors::outcome::code;
using model::replication_controller;
using clock_type = std::chrono::steady_clock;

/// The controller that follows OLD, and how far it is.
struct successor {
  replication_controller rc;  // as it exists, or as it will be created
  bool exists = false;
  std::int32_t desired = 0;
  std::string old_hash;  // --image: OLD's deployment label ("" for -f)
};

/// One rolling update (or rollback) against berthd. Every method that can
/// fail prints why and returns false / nullopt; `exit_` is then the code.
class updater {
 public:
  updater(const command_line& c, client& api, streams io)
      : c_(c), flags_(c.rolling_update), api_(api), io_(io), ns_(namespace_of(c.namespace_)) {}

  int run() {
    auto old = get_rc(c_.names.at(0));
    if (!old) return exit_;
    if (flags_.rollback) return rollback(*old);
    auto next = c_.files.empty() ? from_image(*old) : from_file(*old);
    if (!next || !check_in_progress(*old, next->rc.metadata.name) || !check_existing(*old, *next)) return exit_;
    if (!prepare_old(*old, *next)) return exit_;
    if (next->exists) {
      say("Continuing update with existing controller {}.", next->rc.metadata.name);
    } else {
      say("Creating {}", next->rc.metadata.name);
      auto created = api_.create(rollout::as_successor(next->rc, *old, next->desired));
      if (created.result != code::ok) return fail(created, next->rc.metadata.name);
    }
    const std::string& old_name = old->metadata.name;
    const std::string& new_name = next->rc.metadata.name;
    if (!roll(old_name, new_name, next->desired)) return exit_;
    say("Update succeeded. Deleting {}", old_name);
    if (!remove(old_name)) return exit_;
    if (!change(new_name, [](replication_controller& rc) {
          rc.metadata.annotations.erase(rollout::k_desired_replicas);
          rc.metadata.annotations.erase(rollout::k_source_id);
        }))
      return exit_;
    say("{}", new_name);
    return k_exit_ok;
  }

 private:
  template <typename... Args>
  void say(fmt::format_string<Args...> f, Args&&... args) {
    fmt::print(io_.out, "{}\n", fmt::format(f, std::forward<Args>(args)...));
    io_.out.flush();  // progress shows as it happens, and survives a kill
  }

  bool error(const std::string& message) {
    fmt::print(io_.err, "error: {}\n", message);
    exit_ = k_exit_user;
    return false;
  }

  std::nullopt_t no_successor(const std::string& message) {
    error(message);
    return std::nullopt;
  }

  int fail(const actors::outcome& o, const std::string& name) {
    exit_ = report_failure(o, actors::kind::replication_controller, name, io_.err);
    return exit_;
  }

  bool refused(const actors::outcome& o, const std::string& name) {
    fail(o, name);
    return false;
  }

  actors::object_key key(const std::string& name) const { return {actors::kind::replication_controller, ns_, name}; }

  /// The RC, or nullopt (printed) when it does not exist or the read failed.
  std::optional<replication_controller> get_rc(const std::string& name) {
    auto got = api_.get(key(name));
    if (got.result != code::ok || !got.object) {
      fail(got, name);
      return std::nullopt;
    }
    return std::get<replication_controller>(*got.object);
  }

  /// Reads the RC, changes it, stores it (apply): one journal event.
  bool change(const std::string& name, const std::function<void(replication_controller&)>& edit) {
    auto rc = get_rc(name);
    if (!rc) return false;
    auto before = *rc;
    edit(*rc);
    if (*rc == before) return true;
    auto applied = api_.apply(*rc);
    if (applied.result != code::ok) return refused(applied, name);
    return true;
  }

  bool scale(const std::string& name, std::int32_t replicas) {
    auto scaled = api_.scale(key(name), replicas);
    if (scaled.result != code::ok) return refused(scaled, name);
    return true;
  }

  bool remove(const std::string& name) {
    auto removed = api_.remove(key(name));
    if (removed.result != code::ok) return refused(removed, name);
    return true;
  }

  std::vector<model::pod> pods_matching(const model::string_map& selector) {
    std::vector<model::pod> pods;
    auto listed = api_.list(actors::kind::pod, ns_, labels_text(selector));
    for (auto& o : listed.items) pods.push_back(std::get<model::pod>(std::move(o)));
    return pods;
  }

  std::optional<successor> from_file(const replication_controller& old);
  std::optional<successor> from_image(const replication_controller& old);
  bool check_in_progress(const replication_controller& old, const std::string& next_name);
  bool check_existing(const replication_controller& old, successor& next);
  bool prepare_old(const replication_controller& old, const successor& next);
  bool relabel_pods(const replication_controller& old, const model::string_map& selector, const std::string& hash);
  bool roll(const std::string& from, const std::string& to, std::int32_t desired);
  bool wait_for(const std::string& name, const std::function<bool(rollout::pod_counts)>& reached,
                const std::string& what);
  int rollback(const replication_controller& old);

  const command_line& c_;
  const rolling_update_flags& flags_;
  client& api_;
  streams io_;
  std::string ns_;
  int exit_ = k_exit_user;
};

/// -f FILE: one ReplicationController that may follow OLD.
std::optional<successor> updater::from_file(const replication_controller& old) {
  const std::string& file = c_.files.at(0);
  auto loaded = load_manifests(c_.files, io_.in);
  for (const auto& e : loaded.errors) error(e);
  if (!loaded.errors.empty()) return std::nullopt;
  if (loaded.objects.size() != 1 || actors::kind_of(loaded.objects[0]) != actors::kind::replication_controller) {
    error(fmt::format("{}: expected one ReplicationController, the new controller, found {} object(s)", file,
                      loaded.objects.size()));
    return std::nullopt;
  }
  if (auto mismatch = apply_namespace_flag(loaded.objects[0], c_.namespace_)) return no_successor(*mismatch);
  successor next;
  next.rc = std::get<replication_controller>(loaded.objects[0]);
  if (next.rc.metadata.namespace_.empty()) next.rc.metadata.namespace_ = ns_;
  if (auto why = rollout::check_successor(old, next.rc, file)) return no_successor(*why);
  // kubectl 1.0: a file that asks for 0 replicas takes OLD's count.
  next.desired =
      next.rc.spec.replicas > 0
          ? next.rc.spec.replicas
          : rollout::replicas_annotation(old.metadata, rollout::k_original_replicas).value_or(old.spec.replicas);
  return next;
}

/// --image: OLD's successor by the name OLD points at (an update under
/// way), or a new one made from OLD.
std::optional<successor> updater::from_image(const replication_controller& old) {
  successor next;
  auto pointer = old.metadata.annotations.find(rollout::k_next_controller);
  std::string wanted = c_.names.size() > 1 ? c_.names[1] : "";
  if (pointer != old.metadata.annotations.end() && (wanted.empty() || wanted == pointer->second)) {
    auto got = api_.get(key(pointer->second));
    if (got.result == code::ok && got.object) {
      next.rc = std::get<replication_controller>(*got.object);
      next.exists = true;
      return next;  // check_existing reads its desired count
    }
  }
  auto planned = rollout::plan_image_successor(old, flags_.image, flags_.container, wanted);
  if (!planned.error.empty()) return no_successor(planned.error);
  next.rc = std::move(planned.next);
  next.old_hash = planned.old_hash;
  next.desired = rollout::replicas_annotation(old.metadata, rollout::k_original_replicas).value_or(old.spec.replicas);
  return next;
}

/// OLD pointing at another successor that still exists: that update is
/// finished or rolled back first (else it would be left half done, forgotten).
bool updater::check_in_progress(const replication_controller& old, const std::string& next_name) {
  auto pointer = old.metadata.annotations.find(rollout::k_next_controller);
  if (pointer == old.metadata.annotations.end() || pointer->second == next_name) return true;
  auto got = api_.get(key(pointer->second));
  if (got.result == code::not_found) return true;
  if (got.result != code::ok) return refused(got, pointer->second);
  return error(
      fmt::format("an update of {0} to {1} is in progress: run it again to finish it, or roll it back "
                  "with berth rolling-update {0} --rollback",
                  old.metadata.name, pointer->second));
}

/// A NEW that exists must be OLD's successor (kubectl's update-source-id):
/// then the update continues with its desired count; anything else is refused.
bool updater::check_existing(const replication_controller& old, successor& next) {
  const std::string& name = next.rc.metadata.name;
  if (!next.exists) {
    auto got = api_.get(key(name));
    if (got.result == code::not_found) return true;
    if (got.result != code::ok || !got.object) return refused(got, name);
    next.rc = std::get<replication_controller>(*got.object);
    next.exists = true;
  }
  std::string source = fmt::format("{}:{}", old.metadata.name, old.metadata.uid);
  const auto& notes = next.rc.metadata.annotations;
  auto has = notes.find(rollout::k_source_id);
  auto desired = rollout::replicas_annotation(next.rc.metadata, rollout::k_desired_replicas);
  if (has == notes.end() || has->second != source || !desired)
    return error(
        fmt::format("replication controller {} already exists and is not an update of {} (it needs the "
                    "annotations {}={} and {}=N); choose another name or delete it",
                    name, old.metadata.name, rollout::k_source_id, source, rollout::k_desired_replicas));
  next.desired = *desired;
  return true;
}

/// OLD points at NEW and remembers its size; for --image, OLD's template,
/// pods and selector get deployment=OLDHASH first (kubectl 1.0's order: the
/// template, so pods made meanwhile carry it; the pods; then the selector).
bool updater::prepare_old(const replication_controller& old, const successor& next) {
  const std::string& name = old.metadata.name;
  bool relabel = !next.old_hash.empty() && !old.spec.selector.contains(rollout::k_deployment_key);
  const std::string& hash = next.old_hash;
  if (!change(name, [&](replication_controller& rc) {
        rc.metadata.annotations[rollout::k_next_controller] = next.rc.metadata.name;
        rc.metadata.annotations.try_emplace(rollout::k_original_replicas, std::to_string(rc.spec.replicas));
        if (relabel) rc.spec.template_.metadata.labels[rollout::k_deployment_key] = hash;
      }))
    return false;
  if (!relabel) return true;
  if (!relabel_pods(old, old.spec.selector, hash)) return false;
  if (!change(name, [&](replication_controller& rc) { rc.spec.selector[rollout::k_deployment_key] = hash; }))
    return false;
  return relabel_pods(old, old.spec.selector, hash);  // any made from the old template meanwhile
}

/// Adds deployment=HASH to OLD's active pods that lack it (one apply each:
/// a pod's labels change in place).
bool updater::relabel_pods(const replication_controller& old, const model::string_map& selector,
                           const std::string& hash) {
  for (auto& pod : pods_matching(selector)) {
    bool mine = rollout::count_pods(old, {pod}).active == 1;
    auto label = pod.metadata.labels.find(rollout::k_deployment_key);
    if (!mine || (label != pod.metadata.labels.end() && label->second == hash)) continue;
    pod.metadata.labels[rollout::k_deployment_key] = hash;
    auto applied = api_.apply(pod);
    if (applied.result != code::ok) {
      exit_ = report_failure(applied, actors::kind::pod, pod.metadata.name, io_.err);
      return false;
    }
  }
  return true;
}

/// Polls `name`'s pods every --poll-interval until `reached`, for at most --timeout.
bool updater::wait_for(const std::string& name, const std::function<bool(rollout::pod_counts)>& reached,
                       const std::string& what) {
  auto rc = get_rc(name);
  if (!rc) return false;
  const auto deadline = clock_type::now() + flags_.timeout;
  for (;;) {
    auto counts = rollout::count_pods(*rc, pods_matching(rc->spec.selector));
    if (reached(counts)) return true;
    if (clock_type::now() >= deadline) {
      return error(
          fmt::format("timed out after {} waiting for {} ({} pods, {} ready); run the same command again to "
                      "continue, or with --rollback to go back",
                      cmdline::format_duration(flags_.timeout), what, counts.active, counts.ready));
    }
    std::this_thread::sleep_for(flags_.poll_interval);
  }
}

/// Steps `from` down and `to` up until `to` has `desired` replicas and `from` none.
bool updater::roll(const std::string& from, const std::string& to, std::int32_t desired) {
  for (;;) {
    auto from_rc = get_rc(from);
    auto to_rc = from_rc ? get_rc(to) : std::nullopt;
    if (!to_rc) return false;
    rollout::counts now{from_rc->spec.replicas, to_rc->spec.replicas, desired};
    auto step = rollout::next_step(now);
    if (step.kind == rollout::step_kind::done) return true;
    say("{}", rollout::step_line(step, now, from, to));
    bool grew = step.new_replicas > now.new_replicas;
    if (step.new_replicas != now.new_replicas && !scale(to, step.new_replicas)) return false;
    auto target = step.new_replicas;
    if (!wait_for(
            to, [target](rollout::pod_counts n) { return n.ready >= target; },
            fmt::format("{} to have {} ready pods", to, target)))
      return false;
    if (step.old_replicas == now.old_replicas) continue;
    if (grew) std::this_thread::sleep_for(flags_.update_period);
    if (!scale(from, step.old_replicas)) return false;
    auto left = step.old_replicas;
    if (!wait_for(
            from, [left](rollout::pod_counts n) { return n.active <= left; },
            fmt::format("{} to be down to {} pods", from, left)))
      return false;
  }
}

/// --rollback: the same loop the other way (NEW down, OLD back up to its
/// original size), then NEW is deleted and OLD forgets the update.
int updater::rollback(const replication_controller& old) {
  const std::string& name = old.metadata.name;
  auto pointer = old.metadata.annotations.find(rollout::k_next_controller);
  if (pointer == old.metadata.annotations.end()) {
    error(
        fmt::format("{} has no update in progress to roll back (no {} annotation)", name, rollout::k_next_controller));
    return exit_;
  }
  const std::string next_name = pointer->second;
  auto got = api_.get(key(next_name));
  bool next_exists = got.result == code::ok && got.object;
  if (!next_exists && got.result != code::not_found) return fail(got, next_name);
  auto original = rollout::replicas_annotation(old.metadata, rollout::k_original_replicas);
  if (!original && next_exists)
    original = rollout::replicas_annotation(actors::meta_of(*got.object), rollout::k_desired_replicas);
  if (!original) {
    error(fmt::format("{} does not say its original size (annotation {})", name, rollout::k_original_replicas));
    return exit_;
  }
  say("Rolling back {} to {}", next_name, name);
  if (next_exists) {
    if (!roll(next_name, name, *original)) return exit_;
    say("Rollback succeeded. Deleting {}", next_name);
    if (!remove(next_name)) return exit_;
  } else if (old.spec.replicas != *original) {  // NEW is gone already: OLD back to its size
    say("Resizing {} replicas: {} -> {}", name, old.spec.replicas, *original);
    auto target = *original;
    if (!scale(name, target) || !wait_for(
                                    name, [target](rollout::pod_counts n) { return n.ready >= target; },
                                    fmt::format("{} to have {} ready pods", name, target)))
      return exit_;
  }
  if (!change(name, [](replication_controller& rc) {
        rc.metadata.annotations.erase(rollout::k_next_controller);
        rc.metadata.annotations.erase(rollout::k_original_replicas);
      }))
    return exit_;
  say("{}", name);
  return k_exit_ok;
}

}  // namespace

namespace detail {

int run_rolling_update(const command_line& c, client& api, streams io) { return updater(c, api, io).run(); }

}  // namespace detail
}  // namespace berth::cli
