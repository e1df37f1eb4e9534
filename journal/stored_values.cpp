#include "journal/stored_values.hpp"

#include <fmt/format.h>

#include "journal/record.hpp"
#include "journal/rocksdb_journal.hpp"

namespace berth::journal {
namespace {

const detail::rocksdb_journal* rocksdb_of(const journal& j) { return dynamic_cast<const detail::rocksdb_journal*>(&j); }

error not_rocksdb(const journal& j) {
  return error{error_code::invalid_argument,
               fmt::format("journal at {} is not a RocksDB journal: no stored values to read", j.dir())};
}

}  // namespace

result<std::vector<stored_value>> read_stored(const journal& j, std::uint64_t from, std::size_t limit) {
  const auto* rj = rocksdb_of(j);
  if (rj == nullptr) return not_rocksdb(j);
  std::vector<stored_value> out;
  rocksdb::ReadOptions once;
  once.fill_cache = false;  // verify reads everything once: keep the cache for real reads
  std::unique_ptr<rocksdb::Iterator> it(rj->db()->NewIterator(once, rj->events_cf()));
  for (it->Seek(encode_key(from)); it->Valid() && out.size() < limit; it->Next())
    out.push_back({it->key().ToString(), it->value().ToString()});
  if (!it->status().ok()) return detail::from_rocksdb(it->status(), "read " + j.dir());
  return out;
}

}  // namespace berth::journal
