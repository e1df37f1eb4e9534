// Per-call operations of the RocksDB journal: the batch append used by the
// writer, reads and cursors, snapshots, and catch_up for secondaries.
#include "journal/rocksdb_journal.hpp"

#include <fmt/format.h>

#include <chrono>

#include "journal/record_format.hpp"

namespace berth::journal::detail {
namespace {

rocksdb::WriteOptions synced() {
  rocksdb::WriteOptions w;
  w.sync = true;
  return w;
}

/// Reads records next_, next_ + 1, ... up to the journal's last_seq, which it
/// re-reads at every call: a cursor at the end picks up later appends (and, in
/// a secondary, what catch_up brought in) by opening a fresh iterator, since a
/// RocksDB iterator sees only the data present when it was created.
class rocksdb_cursor final : public cursor {
 public:
  rocksdb_cursor(const rocksdb_journal& j, std::uint64_t from) : j_(j), next_(from) {}
  rocksdb_cursor(const rocksdb_journal& j, error e) : j_(j), err_(std::move(e)) {}

  std::optional<record> next() override {
    if (err_) return std::nullopt;
    const std::uint64_t last = j_.last_seq();
    if (next_ > last) return std::nullopt;
    if (!it_ || !it_->Valid() || next_ > it_last_) {
      // The old iterator may hold a torn value at next_ that the writer has
      // since overwritten: only records up to it_last_ are final in it.
      it_last_ = last;
      it_.reset(j_.db()->NewIterator({}, j_.events_cf()));
      it_->Seek(encode_key(next_));
    }
    if (!it_->Valid()) {
      if (!it_->status().ok()) return fail(from_rocksdb(it_->status(), "read " + j_.dir()));
      return fail(
          {error_code::corruption, fmt::format("seq {}: missing (last durable seq is {})", next_, j_.last_seq())});
    }
    const auto key = decode_key(it_->key().ToStringView());
    if (key != next_) {
      const std::uint64_t found = key.value_or(0);
      return fail({error_code::corruption, fmt::format("seq {}: expected seq {}, found {}", found, next_, found)});
    }
    auto rec = decode_record(next_, it_->value().ToStringView());
    if (!rec) return fail(rec.err().to_error());
    it_->Next();
    ++next_;
    return std::move(rec).value();
  }

  const std::optional<error>& err() const override { return err_; }

 private:
  std::optional<record> fail(error e) {
    err_ = std::move(e);
    it_.reset();
    return std::nullopt;
  }

  const rocksdb_journal& j_;
  std::uint64_t next_ = 0;
  std::uint64_t it_last_ = 0;  // last_seq when it_ was created
  std::unique_ptr<rocksdb::Iterator> it_;
  std::optional<error> err_;
};

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::unique_ptr<cursor> rocksdb_journal::read_from(std::uint64_t seq) const {
  const std::uint64_t first = first_seq();
  if (seq == 0) seq = first != 0 ? first : last_seq() + 1;
  if (first != 0 && seq < first)
    return std::make_unique<rocksdb_cursor>(
        *this, error{error_code::not_found, fmt::format("seq {} is before the first record, seq {}", seq, first)});
  return std::make_unique<rocksdb_cursor>(*this, seq);
}

result<record> rocksdb_journal::read(std::uint64_t seq) const {
  const std::uint64_t first = first_seq(), last = last_seq();
  if (first == 0 || seq < first || seq > last)
    return error{error_code::not_found,
                 fmt::format("seq {} is not in the journal (first {}, last {})", seq, first, last)};
  rocksdb::PinnableSlice value;
  auto s = db_->Get({}, events_, encode_key(seq), &value);
  if (s.IsNotFound())
    return error{error_code::corruption, fmt::format("seq {}: missing (first {}, last {})", seq, first, last)};
  if (!s.ok()) return from_rocksdb(s, fmt::format("read seq {} in {}", seq, dir_));
  return decode_record(seq, value.ToStringView()).to_result();
}

status rocksdb_journal::put_snapshot(const snapshot& s) {
  if (read_only())
    return error{error_code::invalid_argument,
                 fmt::format("put_snapshot at seq {}: journal {} is open read_only", s.seq, dir_)};
  const std::uint64_t last = last_seq();
  if (s.seq == 0 || s.seq > last)
    return error{error_code::invalid_argument,
                 fmt::format("put_snapshot at seq {}: the last durable seq is {}", s.seq, last)};
  auto st = db_->Put(synced(), snapshots_, encode_key(s.seq), encode_snapshot(s, now_ns()));
  if (!st.ok()) return from_rocksdb(st, fmt::format("put_snapshot at seq {} in {}", s.seq, dir_));
  return {};
}

std::vector<std::uint64_t> rocksdb_journal::snapshot_seqs() const {
  std::vector<std::uint64_t> seqs;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator({}, snapshots_));
  for (it->SeekToFirst(); it->Valid(); it->Next())
    if (auto k = decode_key(it->key().ToStringView())) seqs.push_back(*k);
  return seqs;
}

result<snapshot> rocksdb_journal::read_snapshot(std::uint64_t seq) const {
  rocksdb::PinnableSlice value;
  auto s = db_->Get({}, snapshots_, encode_key(seq), &value);
  if (s.IsNotFound()) return error{error_code::not_found, fmt::format("no snapshot at seq {}", seq)};
  if (!s.ok()) return from_rocksdb(s, fmt::format("read snapshot at seq {} in {}", seq, dir_));
  auto snap = decode_snapshot(seq, value.ToStringView());
  if (!snap) return error{error_code::corruption, fmt::format("snapshot {}", snap.err().message())};
  return std::move(snap).value();
}

status rocksdb_journal::catch_up() {
  if (!read_only()) return {};  // the primary's last_seq is always current
  std::lock_guard lock(catch_up_mutex_);
  if (auto s = db_->TryCatchUpWithPrimary(); !s.ok()) return from_rocksdb(s, "catch up with " + dir_);
  // Only the new records need checking; the old ones passed at open.
  const std::uint64_t old_last = last_seq();
  const scan_outcome outcome = scan_all(old_last + 1);
  const std::uint64_t first = first_seq();
  return settle(outcome, first != 0 ? first : outcome.first_key);
}

status rocksdb_journal::append_batch(const std::vector<pending>& records, std::int64_t time_ns) {
  if (read_only())
    return error{error_code::invalid_argument, fmt::format("append: journal {} is open read_only", dir_)};
  if (records.empty()) return {};
  const std::uint64_t first = last_seq() + 1;
  batch_.Clear();
  std::uint64_t seq = first;
  for (const pending& p : records) {
    frame_.clear();
    encode_record(frame_, seq, time_ns, p.type, p.flags, p.payload);
    auto s = batch_.Put(events_, encode_key(seq), frame_);
    if (!s.ok()) return from_rocksdb(s, fmt::format("append seq {}", seq));
    ++seq;
  }
  auto s = db_->Write(synced(), &batch_);
  if (!s.ok()) return from_rocksdb(s, fmt::format("append seq {}..{} to {}", first, seq - 1, dir_));
  if (first_seq() == 0) first_seq_.store(first, std::memory_order_release);
  last_seq_.store(seq - 1, std::memory_order_release);
  return {};
}

}  // namespace berth::journal::detail
