#include "actors/store/recent_events.hpp"

namespace berth::store {

void recent_events::record(const std::string& key, std::uint64_t seq) {
  auto& recent = seqs_[key];
  recent.push_back(seq);
  while (recent.size() > per_object_) recent.pop_front();
}

std::vector<std::uint64_t> recent_events::last(const std::string& key, std::size_t limit) const {
  auto it = seqs_.find(key);
  if (it == seqs_.end()) return {};
  const auto& seqs = it->second;
  auto first = seqs.size() > limit ? seqs.size() - limit : 0;
  return {seqs.begin() + static_cast<std::ptrdiff_t>(first), seqs.end()};
}

}  // namespace berth::store
