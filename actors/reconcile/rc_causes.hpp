#pragma once
// Which event each decision of a replication controller cites as its cause
// (event_header::cause, the chain `berth why` walks; docs/journal-debugging.md).
//
// A creation fills a deficit, so it cites what opened the deficit: an owned pod
// that stopped counting (an active pod became inactive, or was removed while
// active), oldest first, or else the RC event that raised its replicas. A
// deletion cites the RC event that lowered its replicas. Neither cites a mere
// status change, nor the RC's own earlier decisions: a pod the RC itself
// deleted is not a loss.
//
// Every plan settles the deficit (it creates all that is missing), so the
// causes a plan does not cite are dropped then: a loss followed by a scale-down
// leaves nothing behind. CAF-free; the RC actor (actors/core/rc_actor.cpp)
// feeds it what the store routes to it and asks it when it plans.

#include <cstdint>
#include <deque>
#include <set>
#include <string>
#include <vector>

#include "actors/model/objects.hpp"
#include "actors/reconcile/reconcile_rc.hpp"

namespace berth::reconcile {

/// The causes of one plan's events, index for index with its create and remove.
struct plan_causes {
  std::vector<std::uint64_t> create;
  std::vector<std::uint64_t> remove;
  bool operator==(const plan_causes&) const = default;
};

class rc_causes {
 public:
  /// `seq`: the event the RC actor starts from (the RC's creation, or after a
  /// restart the last folded seq). Cited when nothing more precise is known:
  /// losses before a restart are not remembered.
  rc_causes(std::uint64_t seq, const model::replication_controller& rc);

  /// The RC event at `seq` made the RC `rc`. Raising the replicas opens a
  /// deficit of that many pods caused by `seq`; lowering them is the cause of
  /// the scale-down deletions that follow.
  void rc_changed(std::uint64_t seq, const model::replication_controller& rc);

  /// The event at `seq` changed an owned pod from `before` to `after`
  /// (nullptr: absent). Records a loss when an active pod stops being active
  /// for any reason other than the RC's own deletion.
  void pod_changed(std::uint64_t seq, const model::pod* before, const model::pod* after);

  /// The causes of `plan`'s events. The creations take the recorded causes
  /// oldest first, then the last raise; the rest is forgotten (the plan leaves
  /// no deficit). The deleted pods are awaited: their going is not a loss.
  plan_causes cite(const rc_plan& plan);

  /// The distinct causes the next creations would cite, oldest first.
  std::vector<std::uint64_t> queued() const;
  /// Pods the RC asked to delete whose going has not been seen yet.
  std::size_t awaited_deletions() const { return awaited_.size(); }

 private:
  struct run {
    std::uint64_t seq;
    std::uint64_t pods;  // a raise by N opens N places at once
  };
  void push(std::uint64_t seq, std::uint64_t pods);

  std::deque<run> deficit_;
  std::set<std::string> awaited_;  // uids
  std::uint64_t wanted_ = 0;
  std::uint64_t raised_;   // the last RC event that raised the replicas
  std::uint64_t lowered_;  // the last RC event that lowered them
};

}  // namespace berth::reconcile
