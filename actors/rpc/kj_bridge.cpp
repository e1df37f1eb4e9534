#include "actors/rpc/kj_bridge.hpp"

namespace berth::rpc {

void kj_inbox::post(std::function<void()> task) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (closed_) return;
  tasks_.push_back(std::move(task));
  if (waker_) {
    waker_->fulfill();
    waker_ = nullptr;
  }
}

void kj_inbox::close() {
  std::lock_guard<std::mutex> lock(mutex_);
  closed_ = true;
  tasks_.clear();
  waker_ = nullptr;
}

void kj_inbox::drain() {
  std::vector<std::function<void()>> tasks;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    tasks.swap(tasks_);
  }
  for (auto& t : tasks) t();
}

kj::Promise<void> kj_inbox::run() {
  auto paf = kj::newPromiseAndCrossThreadFulfiller<void>();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (closed_) return kj::NEVER_DONE;
    if (!tasks_.empty())
      paf.fulfiller->fulfill();
    else
      waker_ = kj::mv(paf.fulfiller);
  }
  return paf.promise.then([this]() -> kj::Promise<void> {
    drain();
    return run();
  });
}

}  // namespace berth::rpc
