#pragma once
// The object index: object → seqs of the events whose header names it, so
// that `history` and `why` on one object do not scan a 1,000,000-event
// journal. Derived data: built from the journal, caught up as it grows, never
// stored in it (rebuilding costs one pass that reads only event headers).
// Offline tools keep a copy outside the journal (index_cache.hpp) so that
// only the first run on a journal pays for that pass.

#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "actors/model/events.hpp"
#include "journal/journal.hpp"
#include "journal/status.hpp"

namespace berth::debug {

/// An object as event headers name it: kind as in ObjectReference ("Pod",
/// "ReplicationController", "Service", "Endpoints", "Node"), namespace (empty
/// for nodes), name. Successive objects of one name share an id.
struct object_id {
  std::string kind;
  std::string namespace_;
  std::string name;
  auto operator<=>(const object_id&) const = default;
  bool operator==(const object_id&) const = default;
};

/// Not thread-safe; one owner (a source).
class object_index {
 public:
  /// Object → seqs of the events about it, ascending.
  using entry_map = std::map<object_id, std::vector<std::uint64_t>>;

  /// An empty index (indexed_to() == 0).
  object_index() = default;

  /// An index restored from `entries` covering the records up to
  /// `indexed_to` (index_cache checks a saved index before restoring it).
  object_index(entry_map entries, std::uint64_t indexed_to) : seqs_(std::move(entries)), indexed_to_(indexed_to) {}

  /// Indexes the records after indexed_to() up to the journal's last seq.
  /// Errors: a record that fails its checks or whose header does not decode
  /// (corruption, naming the seq); the index then covers the records before it.
  journal::status catch_up(const journal::journal& j);

  /// Seqs of the events naming `id`, ascending (empty when none).
  std::vector<std::uint64_t> seqs_of(const object_id& id) const;

  /// Seqs of the events naming any object of `kind`, ascending.
  std::vector<std::uint64_t> seqs_of_kind(const std::string& kind) const;

  /// The last seq indexed (0: none yet).
  std::uint64_t indexed_to() const { return indexed_to_; }

  /// Number of distinct objects indexed.
  std::size_t objects() const { return seqs_.size(); }

  /// Every entry, by object (what index_cache saves).
  const entry_map& entries() const { return seqs_; }

 private:
  entry_map seqs_;
  std::uint64_t indexed_to_ = 0;
};

/// The object an event is about, by the fold's rule (state.cpp): an event
/// that carries its object in full (objectCreated, objectReplaced,
/// podCreated, endpointsUpdated, nodeRegistered) is about that object; any
/// other about the object its header names.
object_id object_of(const model::event& e);

/// object_of() read straight from a record's payload, without decoding the
/// rest. nullopt and `error` set when the payload is not an Event.
std::optional<object_id> header_object(std::string_view payload, std::string* error);

}  // namespace berth::debug
