// Backward compatibility of the state hash: a journal written before
// namespaces were objects (objects in a namespace nobody created) must replay
// to exactly the state hash berth computed for it then -- snapshots store
// that hash, and `berth journal verify` compares against it.
//
// k_old_hash is what the code before namespaces became objects (main at
// d2cc17a) computed for tests/model/old_journal.hpp's events: the same header
// was compiled against that tree and its hash_state printed.

#include <doctest/doctest.h>

#include "actors/model/codec.hpp"
#include "actors/model/namespaces.hpp"
#include "tests/model/old_journal.hpp"

namespace berth::model {
namespace {

constexpr const char* k_old_hash = "874502fdf823baaaf2805b744db43487";

/// Folds the events as replay does: each through its journal bytes.
cluster_state replayed(const std::vector<event>& events) {
  cluster_state s;
  for (const auto& e : events) {
    std::string error;
    auto back = decode_event(e.seq, e.time, type_of(e), encode_event(e), &error);
    REQUIRE_MESSAGE(back, error);
    apply(s, *back);
  }
  return s;
}

}  // namespace

TEST_CASE("a journal written before namespaces were objects replays to the state hash it had then") {
  auto s = replayed(testing::old_style_journal());
  CHECK(s.namespaces.empty());
  CHECK(hash_state(s).hex() == k_old_hash);
  // A snapshot of it decodes to the same state and hash.
  auto back = decode_snapshot(encode_snapshot(s));
  REQUIRE(back);
  CHECK(hash_state(*back).hex() == k_old_hash);
}

TEST_CASE("in such a journal a namespace objects live in exists, Active, and nothing is stored for it") {
  auto s = replayed(testing::old_style_journal());
  auto legacy = find_namespace(s, "legacy");
  REQUIRE(legacy);
  CHECK(legacy->status.phase == namespace_phase::active);
  CHECK(!is_terminating(s, "legacy"));
  CHECK(!find_namespace(s, "nowhere"));
  std::vector<std::string> names;
  for (const auto& n : all_namespaces(s)) names.push_back(n.metadata.name);
  CHECK(names == std::vector<std::string>{"default", "kube-system", "legacy"});
}
}  // namespace berth::model
