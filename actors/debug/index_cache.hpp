#pragma once
// The object index of one journal, kept on disk OUTSIDE the journal so that
// offline `berth history|why --journal DIR` pay for building it once, not on
// every run. Derived data: any doubt about a file (damage, another journal,
// a journal replaced or cut short under the same identity) means it is
// ignored and the index rebuilt from the journal; it never changes an answer
// and is never an error for the user.
//
// One file per journal, named after the journal's identity (the UUID RocksDB
// wrote into the directory's IDENTITY file, which a copy of the directory
// keeps; without one, a hash of the directory's canonical path), in the cache
// directory ($XDG_CACHE_HOME/berth/journal-index by default). The layout:
//
//   file       := magic version body checksum
//   magic      := "BRTHOIX\0"                       8 bytes
//   version    := u32le                             = k_index_cache_version
//   body       := identity:str
//                 first_seq:var first_fp:u64le      the journal's first record
//                 indexed_to:var last_fp:u64le      the last record indexed
//                 kinds:var str{kinds}              kind table
//                 namespaces:var str{namespaces}    namespace table
//                 objects:var entry{objects}        ascending by (kind, namespace, name)
//   entry      := kind:var namespace:var name:str   table indexes, then the name
//                 count:var delta:var{count}        seqs, each minus the one before (the first minus 0)
//   str        := length:var byte{length}
//   var        := unsigned LEB128, at most 10 bytes
//   checksum   := u64le                             XXH64 (seed 0) of every byte before it
//   fp         := XXH64 (seed 0) of a record's time_ns:i64le type:u16le flags:u16le payload
//
// A file is used only when every check holds: magic, version, checksum,
// identity, first_seq and first_fp equal the journal's, indexed_to is at or
// before its last seq and last_fp matches record indexed_to, every entry is
// well formed and the entries hold exactly indexed_to - first_seq + 1 seqs.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "actors/debug/object_index.hpp"
#include "journal/journal.hpp"
#include "journal/status.hpp"

namespace berth::debug {

/// The on-disk format version written and read (numbers written to disk are frozen).
inline constexpr std::uint32_t k_index_cache_version = 1;

/// Reads one environment variable: nullopt when unset or empty.
using env_lookup = std::function<std::optional<std::string>(const char* name)>;

/// The default cache directory: $XDG_CACHE_HOME/berth/journal-index, else
/// $HOME/.cache/berth/journal-index; "" (no cache) when neither is set to an
/// absolute path (the XDG rule: relative values are ignored).
std::string default_index_cache_dir(const env_lookup& getenv);

/// The cache file of one journal. A value (paths and the identity); reads
/// and writes only files in its directory, never the journal's.
class index_cache {
 public:
  /// The cache in `cache_dir` for `j`. nullopt when `cache_dir` is empty or
  /// is (or lies inside) the journal's directory: the journal is never written.
  static std::optional<index_cache> for_journal(const std::string& cache_dir, const journal::journal& j);

  /// The file this journal's index is kept in.
  const std::string& path() const { return path_; }

  /// The identity the file is keyed by ("rocksdb:<uuid>" or "path:<canonical dir>").
  const std::string& identity() const { return identity_; }

  /// The saved index, checked against `j`. Errors (the file is then to be
  /// ignored): not_found when there is no file; corruption when a check
  /// fails, naming which and with what values; io when it cannot be read.
  journal::result<object_index> load(const journal::journal& j) const;

  /// Saves `index` (built from `j`) atomically: a temporary file in the same
  /// directory, fsync, rename, fsync of the directory. Creates the directory.
  /// io errors name the path and the failing call; an empty index is not saved.
  journal::status save(const journal::journal& j, const object_index& index) const;

 private:
  index_cache(std::string path, std::string identity) : path_(std::move(path)), identity_(std::move(identity)) {}
  std::string path_;
  std::string identity_;
};

/// The fingerprint of record `seq` of `j` (see fp above).
journal::result<std::uint64_t> record_fingerprint(const journal::journal& j, std::uint64_t seq);

/// `index` in the file layout above (identity and fingerprints as given).
std::string encode_index_file(const object_index& index, const std::string& identity, std::uint64_t first_seq,
                              std::uint64_t first_fp, std::uint64_t last_fp);

}  // namespace berth::debug
