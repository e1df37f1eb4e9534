#pragma once
// The stored values of a journal as they are on disk, unchecked: what
// `berth journal verify` needs to look past the first bad record (a cursor
// stops there), and what berthd serves over the API so that a remote
// `berth journal` checks the very same bytes. Reads only.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "journal/journal.hpp"
#include "journal/status.hpp"

namespace berth::journal {

/// One key/value pair of the events column family, as stored.
struct stored_value {
  std::string key;    // normally encode_key(seq); verify reports any other length
  std::string value;  // an event frame (record_format.hpp), not yet checked
};

/// Up to `limit` stored event values whose key sorts at or after
/// encode_key(from), in key order — including keys past last_seq() and values
/// that fail their checks. Errors: invalid_argument when `j` is not a RocksDB
/// journal opened by journal::open; io when RocksDB fails.
result<std::vector<stored_value>> read_stored(const journal& j, std::uint64_t from, std::size_t limit);

}  // namespace berth::journal
