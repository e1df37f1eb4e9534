#pragma once
// berthd's promise on SIGTERM and SIGINT: it is gone within
// --shutdown-timeout (default 1 s), at any moment, a big scale-up included.
// The orderly shutdown (stop the network, stop the actors, drain the journal
// writer) usually takes milliseconds; but actors with long mailboxes after a
// burst of work finish theirs first, and an operator, systemd or a test must
// not wait for that (systemd would SIGKILL after 90 s, losing the queue).
//
// The watchdog bounds it: if the orderly shutdown has not finished by the
// deadline, or a second SIGTERM/SIGINT arrives, it runs `last_words` (berthd:
// close the journal writer, so that everything queued is written and
// acknowledged) and ends the process at once with exit code 0. Nothing
// acknowledged is lost: an append is acknowledged only once durable, and
// what the actors had not yet appended is recomputed from the journal by the
// next start, as after a crash (the fold is the state; decisions are redone).

#include <chrono>
#include <functional>
#include <memory>

namespace berth::actors {

class shutdown_watchdog {
 public:
  /// Starts the deadline. SIGTERM and SIGINT must be blocked in every thread
  /// (berthd's main blocks them before any thread starts): the watchdog takes
  /// the second one with sigtimedwait.
  shutdown_watchdog(std::chrono::nanoseconds timeout, std::function<void(const char* why)> last_words);
  /// finish().
  ~shutdown_watchdog();
  shutdown_watchdog(const shutdown_watchdog&) = delete;
  shutdown_watchdog& operator=(const shutdown_watchdog&) = delete;

  /// The orderly shutdown is done: the watchdog stands down. If it is firing
  /// at this moment, this never returns (the process is ending).
  void finish();

 private:
  struct state;
  std::shared_ptr<state> state_;
};

}  // namespace berth::actors
