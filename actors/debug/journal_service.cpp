#include "actors/debug/journal_service.hpp"

namespace berth::debug {

journal_service::journal_service(const journal::journal& j) : source_(j), thread_([this] { run(); }) {}

journal_service::~journal_service() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void journal_service::post(std::function<void(local_source&)> job) {
  {
    std::lock_guard lock(mutex_);
    jobs_.push_back(std::move(job));
  }
  wake_.notify_one();
}

void journal_service::run() {
  while (true) {
    std::function<void(local_source&)> job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) return;  // stopping, and nothing left to answer
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    job(source_);
  }
}

}  // namespace berth::debug
