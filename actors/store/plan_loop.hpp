#pragma once
// "One plan in flight" (Kubernetes' expectations): a decision-making actor
// computes a plan, appends it, and decides again only after those events are
// durable and folded — otherwise it would decide twice on the same stale
// inputs. Inputs that change meanwhile mark the loop dirty, and the actor
// looks again once the plan lands. Every decision-making actor (rc, service,
// node, pod, scheduler) keeps one. CAF-free.
//
//   idle ──start()──► busy ──finish(ok)──► idle  (returns dirty && ok: run again)
//                      │ ▲
//                      └─┘ start() while busy: dirty, refused

namespace berth::store {

class plan_loop {
 public:
  /// True when the caller may decide now (the loop is then busy until
  /// finish()); false while a plan is in flight (the inputs are marked dirty).
  bool start() {
    if (busy_) {
      dirty_ = true;
      return false;
    }
    busy_ = true;
    dirty_ = false;
    return true;
  }
  /// The plan landed (ok) or the journal refused it. True when inputs changed
  /// meanwhile and the caller should decide again. After a refusal nothing is
  /// retried here: the journal is closed for writing.
  bool finish(bool ok) {
    busy_ = false;
    bool again = ok && dirty_;
    dirty_ = false;
    return again;
  }
  bool busy() const { return busy_; }
  bool dirty() const { return dirty_; }

 private:
  bool busy_ = false;
  bool dirty_ = false;
};

}  // namespace berth::store
