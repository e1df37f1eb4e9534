#pragma once
// The one place where CAF threads and the KJ event loop meet, kept small so
// that threading mistakes have one place to hide (docs/control-plane.md).
//
// KJ -> CAF -> KJ (an RPC call answered by an actor): reply_to() makes a
//   callback for the control_plane facade that fulfils a cross-thread
//   fulfiller; the RPC method returns the matching promise.
// CAF -> KJ (an actor pushes something to a client: watch events, pods for an
//   agent): kj_inbox::post() queues a task; the KJ thread runs queued tasks in
//   order. Posting never blocks the actor.

#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include <kj/async.h>

namespace berth::rpc {

/// Tasks for the KJ thread, posted from any thread. Owned by the server; run()
/// must be called on the KJ thread and its promise kept alive.
class kj_inbox {
 public:
  /// Queues `task` to run on the KJ thread (in posting order). Thread-safe.
  void post(std::function<void()> task);

  /// The loop that runs posted tasks; resolves never (cancel it by dropping it).
  kj::Promise<void> run();

  /// After close(), post() drops tasks (the KJ thread is going away).
  void close();

 private:
  void drain();

  std::mutex mutex_;
  std::vector<std::function<void()>> tasks_;
  kj::Own<kj::CrossThreadPromiseFulfiller<void>> waker_;
  bool closed_ = false;
};

/// A callback for the control_plane facade that delivers its value to the
/// returned promise on the KJ thread. Call on the KJ thread.
template <class T>
std::pair<kj::Promise<T>, std::function<void(T)>> reply_to() {
  auto paf = kj::newPromiseAndCrossThreadFulfiller<T>();
  auto holder = std::make_shared<kj::Own<kj::CrossThreadPromiseFulfiller<T>>>(kj::mv(paf.fulfiller));
  return {kj::mv(paf.promise), [holder](T value) { (*holder)->fulfill(kj::mv(value)); }};
}

}  // namespace berth::rpc
