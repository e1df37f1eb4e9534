#include "cli/remote_source.hpp"

#include <fmt/format.h>

#include "journal/record.hpp"

namespace berth::cli {

namespace bj = ::berth::journal;
namespace {

using bj::error;
using bj::error_code;

constexpr std::uint32_t k_batch = 1024;

/// A bj::journal answered by berthd. Read-only: the write calls refuse.
class remote_journal final : public bj::journal {
 public:
  explicit remote_journal(client& api) : api_(api), dir_("berthd at " + api.server()) { catch_up_or_throw(); }

  std::uint64_t last_seq() const override { return extent_.last_seq; }
  std::uint64_t first_seq() const override { return extent_.first_seq; }
  std::unique_ptr<bj::cursor> read_from(std::uint64_t seq) const override;
  bj::result<bj::record> read(std::uint64_t seq) const override;
  bj::status put_snapshot(const bj::snapshot& s) override {
    return error{error_code::invalid_argument,
                 fmt::format("put_snapshot at seq {}: {} is read-only here", s.seq, dir_)};
  }
  std::vector<std::uint64_t> snapshot_seqs() const override { return extent_.snapshot_seqs; }
  bj::result<bj::snapshot> read_snapshot(std::uint64_t seq) const override;
  bj::status catch_up() override {
    try {
      catch_up_or_throw();
      return {};
    } catch (const client_error& e) {
      return error{error_code::io, e.what()};
    }
  }
  const std::string& dir() const override { return dir_; }

  /// Stored values (verify and the cursor); client_error becomes an io error.
  bj::result<std::vector<bj::stored_value>> stored(std::uint64_t from, std::size_t limit) const {
    try {
      return api_.journal_read(from, static_cast<std::uint32_t>(std::min<std::size_t>(limit, k_batch * 4)));
    } catch (const client_error& e) {
      return error{error_code::io, e.what()};
    }
  }
  client& api() const { return api_; }

 protected:
  bj::status append_batch(const std::vector<pending>&, std::int64_t) override {
    return error{error_code::invalid_argument, fmt::format("append: {} is read-only here", dir_)};
  }

 private:
  void catch_up_or_throw() { extent_ = api_.journal_info(); }

  client& api_;
  std::string dir_;
  client::journal_extent extent_;
};

/// Reads records next_, next_+1, ... up to the extent's last seq, a batch per
/// call, with the checks (and the words) of the RocksDB journal's cursor.
class remote_cursor final : public bj::cursor {
 public:
  remote_cursor(const remote_journal& j, std::uint64_t from) : j_(j), next_(from) {}
  remote_cursor(const remote_journal& j, error e) : j_(j), err_(std::move(e)) {}

  std::optional<bj::record> next() override {
    if (err_ || next_ > j_.last_seq()) return std::nullopt;
    if (at_ == batch_.size()) {
      auto got = j_.stored(next_, k_batch);
      if (!got.ok()) return fail(got.err());
      batch_ = std::move(got.value());
      at_ = 0;
      if (batch_.empty())
        return fail(
            {error_code::corruption, fmt::format("seq {}: missing (last durable seq is {})", next_, j_.last_seq())});
    }
    const auto& v = batch_[at_];
    const auto key = bj::decode_key(v.key);
    if (key != next_) {
      const std::uint64_t found = key.value_or(0);
      return fail({error_code::corruption, fmt::format("seq {}: expected seq {}, found {}", found, next_, found)});
    }
    auto rec = bj::decode_record(next_, v.value);
    if (!rec) return fail(rec.err().to_error());
    ++at_;
    ++next_;
    return std::move(rec).value();
  }
  const std::optional<error>& err() const override { return err_; }

 private:
  std::optional<bj::record> fail(error e) {
    err_ = std::move(e);
    return std::nullopt;
  }
  const remote_journal& j_;
  std::uint64_t next_ = 0;
  std::vector<bj::stored_value> batch_;
  std::size_t at_ = 0;
  std::optional<error> err_;
};

std::unique_ptr<bj::cursor> remote_journal::read_from(std::uint64_t seq) const {
  const std::uint64_t first = first_seq();
  if (seq == 0) seq = first != 0 ? first : last_seq() + 1;
  if (first != 0 && seq < first)
    return std::make_unique<remote_cursor>(
        *this, error{error_code::not_found, fmt::format("seq {} is before the first record, seq {}", seq, first)});
  return std::make_unique<remote_cursor>(*this, seq);
}

bj::result<bj::record> remote_journal::read(std::uint64_t seq) const {
  const std::uint64_t first = first_seq(), last = last_seq();
  if (first == 0 || seq < first || seq > last)
    return error{error_code::not_found,
                 fmt::format("seq {} is not in the journal (first {}, last {})", seq, first, last)};
  auto got = stored(seq, 1);
  if (!got.ok()) return got.err();
  if (got.value().empty() || bj::decode_key(got.value()[0].key) != seq)
    return error{error_code::corruption, fmt::format("seq {}: missing (first {}, last {})", seq, first, last)};
  return bj::decode_record(seq, got.value()[0].value).to_result();
}

error_code code_named(const std::string& name) {
  for (auto c : {error_code::io, error_code::corruption, error_code::not_found, error_code::invalid_argument,
                 error_code::closed})
    if (name == bj::to_string(c)) return c;
  return error_code::io;
}

bj::result<bj::snapshot> remote_journal::read_snapshot(std::uint64_t seq) const {
  try {
    auto r = api_.journal_snapshot(seq);
    if (!r.error_code.empty()) return error{code_named(r.error_code), r.error};
    return bj::snapshot{seq, std::move(r.hash), std::move(r.state)};
  } catch (const client_error& e) {
    return error{error_code::io, e.what()};
  }
}

class remote_source final : public debug::source {
 public:
  explicit remote_source(client& api) : j_(api) {}
  const bj::journal& journal() const override { return j_; }
  bj::result<std::vector<bj::stored_value>> read_stored(std::uint64_t from, std::size_t limit) const override {
    return j_.stored(from, limit);
  }
  bj::result<std::vector<std::uint64_t>> object_seqs(const debug::object_id& id) const override {
    try {
      // berthd's index follows its live journal; this view ends where it began.
      auto seqs = j_.api().journal_object_seqs(id.kind, id.namespace_, id.name);
      std::erase_if(seqs, [&](std::uint64_t q) { return q > j_.last_seq(); });
      return seqs;
    } catch (const client_error& e) {
      return error{error_code::io, e.what()};
    }
  }
  const std::vector<std::string>& open_notes() const override { return notes_; }

 private:
  remote_journal j_;
  std::vector<std::string> notes_;
};

}  // namespace

std::unique_ptr<debug::source> make_remote_source(client& api) { return std::make_unique<remote_source>(api); }

}  // namespace berth::cli
