#include <fmt/format.h>

#include "actors/debug/source.hpp"

namespace berth::debug {

journal::result<std::unique_ptr<local_source>> local_source::open(const std::string& dir,
                                                                  const std::string& index_cache_dir) {
  std::unique_ptr<local_source> s(new local_source());
  journal::open_options o;
  o.mode = journal::open_mode::read_only;
  o.verify_all_on_open = false;
  o.salvage = true;  // read-only salvage deletes nothing: it only stops reading at the damage
  auto* notes = &s->notes_;
  o.reporter = [notes](std::uint64_t seq, const std::string& reason) {
    notes->push_back(fmt::format("seq {}: {}", seq, reason));
  };
  auto j = journal::journal::open(dir, o);
  if (!j.ok()) return j.err();
  s->owned_ = std::move(j.value());
  s->j_ = s->owned_.get();
  s->cache_ = index_cache::for_journal(index_cache_dir, *s->j_);
  if (s->cache_) s->cache_report_.path = s->cache_->path();
  return s;
}

local_source::local_source(const journal::journal& j) : j_(&j) {}

journal::result<std::vector<journal::stored_value>> local_source::read_stored(std::uint64_t from,
                                                                              std::size_t limit) const {
  return journal::read_stored(*j_, from, limit);
}

journal::result<std::vector<std::uint64_t>> local_source::object_seqs(const object_id& id) const {
  if (auto st = warm_index(); !st) return st.err();
  return id.name.empty() ? index_.seqs_of_kind(id.kind) : index_.seqs_of(id);
}

journal::status local_source::refresh() {
  if (owned_) {
    if (auto st = owned_->catch_up(); !st) return st;
  }
  return warm_index();
}

journal::status local_source::warm_index() const {
  if (cache_ && !cache_read_) {
    cache_read_ = true;
    auto saved = cache_->load(*j_);
    if (saved.ok()) {
      index_ = std::move(saved.value());
      cache_report_.loaded_to = index_.indexed_to();
    } else if (saved.err().code != journal::error_code::not_found) {
      cache_report_.ignored = saved.err().message;
    }
  }
  const std::uint64_t before = index_.indexed_to();
  if (auto st = index_.catch_up(*j_); !st) return st;
  if (cache_ && index_.indexed_to() != before) {
    // A cache that cannot be written costs the next run a rebuild, nothing more.
    if (auto st = cache_->save(*j_, index_); st) {
      cache_report_.saved_to = index_.indexed_to();
      cache_report_.save_error.clear();
    } else {
      cache_report_.save_error = st.err().message;
    }
  }
  return {};
}

}  // namespace berth::debug
