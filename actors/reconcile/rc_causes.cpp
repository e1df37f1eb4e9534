#include "actors/reconcile/rc_causes.hpp"

#include <algorithm>

namespace berth::reconcile {
namespace {

/// The replicas the RC wants, as reconcile_rc counts them: none while it is
/// being deleted, none for a negative count.
std::uint64_t wanted_of(const model::replication_controller& rc) {
  if (rc.metadata.deletion_timestamp != 0) return 0;
  return static_cast<std::uint64_t>(std::max(rc.spec.replicas, 0));
}

}  // namespace

rc_causes::rc_causes(std::uint64_t seq, const model::replication_controller& rc)
    : wanted_(wanted_of(rc)), raised_(seq), lowered_(seq) {}

void rc_causes::rc_changed(std::uint64_t seq, const model::replication_controller& rc) {
  const auto wanted = wanted_of(rc);
  if (wanted > wanted_) {
    push(seq, wanted - wanted_);
    raised_ = seq;
  } else if (wanted < wanted_) {
    lowered_ = seq;
  }
  wanted_ = wanted;
}

void rc_causes::pod_changed(std::uint64_t seq, const model::pod* before, const model::pod* after) {
  const bool was_active = before != nullptr && is_active(*before);
  const bool is_still_active = after != nullptr && is_active(*after);
  if (!was_active || is_still_active) return;
  if (awaited_.erase(before->metadata.uid) != 0) return;  // the RC's own deletion landed
  push(seq, 1);
}

plan_causes rc_causes::cite(const rc_plan& plan) {
  plan_causes out;
  out.create.reserve(plan.create.size());
  for (std::size_t i = 0; i < plan.create.size(); ++i) {
    if (deficit_.empty()) {
      out.create.push_back(raised_);
      continue;
    }
    out.create.push_back(deficit_.front().seq);
    if (--deficit_.front().pods == 0) deficit_.pop_front();
  }
  deficit_.clear();
  out.remove.assign(plan.remove.size(), lowered_);
  for (const auto& d : plan.remove) awaited_.insert(d.pod.uid);
  return out;
}

std::vector<std::uint64_t> rc_causes::queued() const {
  std::vector<std::uint64_t> out;
  for (const auto& r : deficit_) out.push_back(r.seq);
  return out;
}

void rc_causes::push(std::uint64_t seq, std::uint64_t pods) {
  if (!deficit_.empty() && deficit_.back().seq == seq) {
    deficit_.back().pods += pods;
    return;
  }
  deficit_.push_back({seq, pods});
}

}  // namespace berth::reconcile
