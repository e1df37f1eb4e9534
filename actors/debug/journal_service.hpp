#pragma once
// berthd's side of the journal read API (schema/api.capnp journal* methods):
// a local_source over berthd's own journal, worked on by one thread of its
// own, because reading thousands of records or building the object index
// must not stall the KJ thread that serves every other RPC.
//
// Owned by the RPC server; `post` is thread-safe; jobs run in posting order.

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "actors/debug/source.hpp"

namespace berth::debug {

class journal_service {
 public:
  /// Borrows `j` (it must outlive the service).
  explicit journal_service(const journal::journal& j);
  /// Runs the jobs already posted, then joins the thread.
  ~journal_service();
  journal_service(const journal_service&) = delete;
  journal_service& operator=(const journal_service&) = delete;

  /// Queues `job` to run on the service's thread with its source.
  void post(std::function<void(local_source&)> job);

 private:
  void run();

  local_source source_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void(local_source&)>> jobs_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts once everything above exists
};

}  // namespace berth::debug
