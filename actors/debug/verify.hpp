#pragma once
// `berth journal verify`: every stored record's frame checks (checksum,
// length, seq == key, flags, type) and the contiguity of the seqs, looking
// past each problem to find the next; the payload of every record decoded;
// then a full re-fold from seq 1 whose state hash is compared, at each
// snapshot's seq, with the hash the snapshot recorded — and each snapshot's
// own state with its recorded hash.

#include <cstdint>
#include <string>
#include <vector>

#include "actors/debug/source.hpp"

namespace berth::debug {

/// One thing found wrong, at the seq it concerns.
struct verify_problem {
  std::uint64_t seq = 0;
  std::string what;
  bool operator==(const verify_problem&) const = default;
};

struct verify_report {
  std::uint64_t first_seq = 0;        // first stored key (0: none)
  std::uint64_t last_seq = 0;         // last stored key
  std::uint64_t records_checked = 0;  // stored values looked at
  std::uint64_t events_folded = 0;    // re-fold
  std::uint64_t snapshots_checked = 0;
  std::string final_hash;                // hex state hash after the re-fold ("" when it broke off)
  std::vector<std::string> notes;        // not problems: a torn tail, a re-fold that stopped early
  std::vector<verify_problem> problems;  // ascending seq, in the order found

  bool ok() const { return problems.empty(); }
};

/// Checks everything `s` holds. Errors only when the journal cannot be read
/// at all (I/O); everything wrong with its contents is a problem in the report.
journal::result<verify_report> verify(const source& s);

}  // namespace berth::debug
