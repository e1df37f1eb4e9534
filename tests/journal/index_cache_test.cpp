// The persisted object index (actors/debug/index_cache.hpp) through
// local_source, as offline `berth history|why --journal DIR` use it: saved
// on the first run, loaded (and caught up) on the next, ignored whenever it
// cannot be trusted, and never written into the journal directory.
#include <doctest/doctest.h>

#include <fmt/format.h>
#include <xxhash.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <tuple>

#include "actors/debug/index_cache.hpp"
#include "actors/debug/source.hpp"
#include "actors/model/codec.hpp"
#include "journal/writer.hpp"
#include "tests/journal/journal_test_util.hpp"

namespace bj = berth::journal;
namespace bd = berth::debug;
namespace bm = berth::model;
namespace fs = std::filesystem;
using bj::test::temp_dir;

namespace {

bm::event pod_event(const std::string& name, bm::event_payload p) {
  bm::event e;
  e.header.object = {bm::k_kind_pod, "default", name, ""};
  e.header.principal = "controller:scheduler";
  e.payload = std::move(p);
  return e;
}

bm::event pod_born(const std::string& name) {
  bm::pod p;
  p.metadata.name = name;
  p.metadata.namespace_ = "default";
  p.metadata.uid = "uid-" + name;
  bm::container c;
  c.name = "web";
  c.image = "busybox";
  p.spec.containers.push_back(c);
  return pod_event(name, bm::pod_created{p});
}

bm::event node_born(const std::string& name) {
  bm::node n;
  n.metadata.name = name;
  n.metadata.uid = "uid-" + name;
  bm::event e;
  e.header.object = {bm::k_kind_node, "", name, ""};
  e.header.principal = "node:" + name;
  e.payload = bm::node_registered{n};
  return e;
}

/// Seqs 1..10: nodes n1, n2; pods a, b, c created and bound; a and b deleted.
std::vector<bm::event> story() {
  return {node_born("n1"),                                      // 1
          node_born("n2"),                                      // 2
          pod_born("a"),                                        // 3
          pod_born("b"),                                        // 4
          pod_event("a", bm::pod_bound{"n1"}),                  // 5
          pod_born("c"),                                        // 6
          pod_event("b", bm::pod_bound{"n2"}),                  // 7
          pod_event("c", bm::pod_bound{"n1"}),                  // 8
          pod_event("a", bm::pod_deleted{{"ScaleDown", ""}}),   // 9
          pod_event("b", bm::pod_deleted{{"ScaleDown", ""}})};  // 10
}

/// Appends `events` to the journal in `dir` (created when missing).
void append(const std::string& dir, const std::vector<bm::event>& events) {
  auto j = bj::journal::open(dir, {});
  REQUIRE(j.ok());
  bj::writer w(*j.value());
  for (const auto& e : events) REQUIRE(w.append(bm::type_of(e), bm::encode_event(e)).get().ok());
}

std::unique_ptr<bd::local_source> open_source(const std::string& dir, const std::string& cache_dir) {
  auto s = bd::local_source::open(dir, cache_dir);
  REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.err().message));
  return std::move(s.value());
}

bd::object_id pod(const std::string& name) { return {bm::k_kind_pod, "default", name}; }

/// Every answer the index gives on the story's objects, by a fresh build.
std::map<std::string, std::vector<std::uint64_t>> answers(const bd::source& s) {
  std::map<std::string, std::vector<std::uint64_t>> out;
  for (const char* name : {"a", "b", "c", "d", "nope"}) out[name] = s.object_seqs(pod(name)).value();
  out["nodes"] = s.object_seqs({bm::k_kind_node, "", ""}).value();
  out["n1"] = s.object_seqs({bm::k_kind_node, "", "n1"}).value();
  return out;
}

/// The answers of a source that keeps no cache (the reference).
std::map<std::string, std::vector<std::uint64_t>> fresh_answers(const std::string& dir) {
  return answers(*open_source(dir, ""));
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

/// The reason a cache file whose checksum no longer matches must carry.
std::string checksum_reason(const std::string& file) {
  const std::uint64_t stored = bj::test::le64(file, file.size() - 8);
  const std::uint64_t computed = XXH64(file.data(), file.size() - 8, 0);
  return fmt::format("checksum mismatch: stored 0x{:016x}, computed 0x{:016x}", stored, computed);
}

/// Every file under `dir` with its size and modification time.
std::map<std::string, std::tuple<std::uintmax_t, fs::file_time_type>> listing(const std::string& dir) {
  std::map<std::string, std::tuple<std::uintmax_t, fs::file_time_type>> out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    out[fs::relative(e.path(), dir).string()] = {e.is_regular_file() ? e.file_size() : 0, e.last_write_time()};
  return out;
}

std::string identity_of(const std::string& dir) { return bj::read_identity(dir).value(); }

}  // namespace

TEST_CASE("a_saved_index_loads_and_answers_the_same_seqs_as_a_fresh_build") {
  temp_dir dir, cache;
  append(dir.path, story());
  const auto expected = fresh_answers(dir.path);
  CHECK(expected.at("a") == std::vector<std::uint64_t>{3, 5, 9});
  CHECK(expected.at("nodes") == std::vector<std::uint64_t>{1, 2});

  auto first = open_source(dir.path, cache.path);
  CHECK(answers(*first) == expected);
  const auto& saved = first->index_cache_state();
  CHECK(saved.path == fs::weakly_canonical(cache.path).string() + "/" + identity_of(dir.path) + ".index");
  CHECK(saved.loaded_to == 0);
  CHECK(saved.ignored == "");
  CHECK(saved.saved_to == 10);
  CHECK(saved.save_error == "");
  CHECK(fs::exists(saved.path));
  first.reset();

  auto second = open_source(dir.path, cache.path);
  CHECK(answers(*second) == expected);
  CHECK(second->index_cache_state().loaded_to == 10);
  CHECK(second->index_cache_state().ignored == "");
  CHECK(second->index_cache_state().saved_to == 0);  // nothing new: the file is not rewritten

  // The loaded entries are exactly those of a fresh build, object by object.
  auto c = bd::index_cache::for_journal(cache.path, second->journal());
  REQUIRE(c.has_value());
  CHECK(c->identity() == "rocksdb:" + identity_of(dir.path));
  bd::object_index fresh;
  REQUIRE(fresh.catch_up(second->journal()).ok());
  auto loaded = c->load(second->journal());
  REQUIRE(loaded.ok());
  CHECK(loaded.value().entries() == fresh.entries());
  CHECK(loaded.value().indexed_to() == 10);
}

TEST_CASE("a_cache_for_a_journal_that_grew_is_caught_up_and_saved_again") {
  temp_dir dir, cache;
  append(dir.path, story());
  CHECK(open_source(dir.path, cache.path)->object_seqs(pod("c")).value() == std::vector<std::uint64_t>{6, 8});
  append(dir.path,
         {pod_born("d"), pod_event("c", bm::pod_deleted{{"ScaleDown", ""}}), pod_event("d", bm::pod_bound{"n2"})});

  auto s = open_source(dir.path, cache.path);
  CHECK(s->object_seqs(pod("d")).value() == std::vector<std::uint64_t>{11, 13});
  CHECK(s->object_seqs(pod("c")).value() == std::vector<std::uint64_t>{6, 8, 12});
  CHECK(answers(*s) == fresh_answers(dir.path));
  CHECK(s->index_cache_state().loaded_to == 10);
  CHECK(s->index_cache_state().saved_to == 13);
  CHECK(open_source(dir.path, cache.path)->object_seqs(pod("d")).value() == std::vector<std::uint64_t>{11, 13});
}

TEST_CASE("a_truncated_cache_file_is_ignored_and_the_answers_stay_right") {
  temp_dir dir, cache;
  append(dir.path, story());
  const std::string path = open_source(dir.path, cache.path)->index_cache_state().path;
  open_source(dir.path, cache.path)->object_seqs(pod("a")).value();  // saves
  auto bytes = read_bytes(path);
  REQUIRE(bytes.size() > 40);
  bytes.resize(bytes.size() - 1);
  write_bytes(path, bytes);

  auto s = open_source(dir.path, cache.path);
  CHECK(answers(*s) == fresh_answers(dir.path));
  CHECK(s->index_cache_state().ignored == checksum_reason(bytes));
  CHECK(s->index_cache_state().loaded_to == 0);
  CHECK(s->index_cache_state().saved_to == 10);  // rebuilt and saved whole again
  CHECK(open_source(dir.path, cache.path)->object_seqs(pod("a")).value() == std::vector<std::uint64_t>{3, 5, 9});

  write_bytes(path, bytes.substr(0, 12));
  auto tiny = open_source(dir.path, cache.path);
  CHECK(answers(*tiny) == fresh_answers(dir.path));
  CHECK(tiny->index_cache_state().ignored == "12 bytes, shorter than any index file");
}

TEST_CASE("a_bit_flipped_cache_file_is_ignored_and_the_answers_stay_right") {
  temp_dir dir, cache;
  append(dir.path, story());
  auto first = open_source(dir.path, cache.path);
  first->object_seqs(pod("a")).value();
  const std::string path = first->index_cache_state().path;
  first.reset();
  const auto whole = read_bytes(path);
  for (std::size_t at : {std::size_t{0}, std::size_t{9}, whole.size() / 2, whole.size() - 12, whole.size() - 1}) {
    CAPTURE(at);
    const auto bad = bj::test::flipped(whole, at);
    write_bytes(path, bad);
    auto s = open_source(dir.path, cache.path);
    CHECK(answers(*s) == fresh_answers(dir.path));
    const std::string expected = at == 0   ? "bad magic: not an object index file"
                                 : at == 9 ? fmt::format("format version {}, this build reads 1", 1 + (0xff << 8))
                                           : checksum_reason(bad);
    CHECK(s->index_cache_state().ignored == expected);
    CHECK(s->index_cache_state().loaded_to == 0);
  }
}

TEST_CASE("a_cache_with_a_good_checksum_but_wrong_entries_is_ignored") {
  temp_dir dir, cache;
  append(dir.path, story());
  auto s = open_source(dir.path, cache.path);
  auto c = bd::index_cache::for_journal(cache.path, s->journal());
  REQUIRE(c.has_value());
  // Written by a buggy build: pod a lost seq 9 (no record may go missing).
  bd::object_index fresh;
  REQUIRE(fresh.catch_up(s->journal()).ok());
  auto entries = fresh.entries();
  entries[pod("a")] = {3, 5};
  const auto fp1 = bd::record_fingerprint(s->journal(), 1).value();
  const auto fp10 = bd::record_fingerprint(s->journal(), 10).value();
  fs::create_directories(cache.path);
  write_bytes(c->path(), bd::encode_index_file(bd::object_index(entries, 10), c->identity(), 1, fp1, fp10));
  CHECK(c->load(s->journal()).err().message == "holds 9 seqs, expected 10 (seqs 1..10)");
  // ... or named seq 9 twice.
  entries[pod("a")] = {3, 5, 9};
  entries[pod("c")] = {6, 8, 9};
  write_bytes(c->path(), bd::encode_index_file(bd::object_index(entries, 10), c->identity(), 1, fp1, fp10));
  auto twice = c->load(s->journal());
  REQUIRE(!twice.ok());
  CHECK(twice.err().message.find("seq 9 named twice") != std::string::npos);
  CHECK(answers(*s) == fresh_answers(dir.path));
  CHECK(s->index_cache_state().ignored == twice.err().message);
}

TEST_CASE("a_cache_from_another_journal_is_ignored") {
  temp_dir a, b, cache;
  append(a.path, story());
  append(b.path, {node_born("n9"), pod_born("z")});
  const std::string a_file = open_source(a.path, cache.path)->index_cache_state().path;
  open_source(a.path, cache.path)->object_seqs(pod("a")).value();
  auto sb = open_source(b.path, cache.path);
  fs::copy_file(a_file, sb->index_cache_state().path);

  CHECK(sb->object_seqs(pod("z")).value() == std::vector<std::uint64_t>{2});
  CHECK(sb->object_seqs(pod("a")).value().empty());
  CHECK(sb->index_cache_state().ignored ==
        fmt::format("made for journal rocksdb:{}, not rocksdb:{}", identity_of(a.path), identity_of(b.path)));
  CHECK(sb->index_cache_state().saved_to == 2);
}

TEST_CASE("a_journal_replaced_or_cut_short_under_the_same_identity_is_detected") {
  temp_dir a, cache;
  const std::string copy = a.sub("copy"), original = a.sub("original");
  const auto events = story();
  append(original, {events.begin(), events.begin() + 8});
  fs::copy(original, copy, fs::copy_options::recursive);  // same IDENTITY file: same identity
  append(original, {events.begin() + 8, events.end()});
  open_source(original, cache.path)->object_seqs(pod("a")).value();  // cache indexed to 10

  SUBCASE("cut short: the copy ends at seq 8") {
    auto s = open_source(copy, cache.path);
    CHECK(answers(*s) == fresh_answers(copy));
    CHECK(s->object_seqs(pod("a")).value() == std::vector<std::uint64_t>{3, 5});
    CHECK(s->index_cache_state().ignored == "indexed to seq 10, beyond the journal's last seq 8");
  }
  SUBCASE("replaced: the copy went on differently") {
    append(copy, {pod_born("d"), pod_event("d", bm::pod_bound{"n1"})});
    auto s = open_source(copy, cache.path);
    CHECK(answers(*s) == fresh_answers(copy));
    CHECK(s->object_seqs(pod("d")).value() == std::vector<std::uint64_t>{9, 10});
    auto j_original = bj::journal::open(original, {});
    REQUIRE(j_original.ok());
    CHECK(s->index_cache_state().ignored ==
          fmt::format("record 10 changed since it was indexed (fingerprint {:#018x}, now {:#018x})",
                      bd::record_fingerprint(*j_original.value(), 10).value(),
                      bd::record_fingerprint(s->journal(), 10).value()));
  }
}

TEST_CASE("a_journal_without_an_identity_file_is_known_by_its_canonical_path") {
  temp_dir dir, cache;
  append(dir.path, story());
  fs::remove(dir.sub("IDENTITY"));
  CHECK(bj::read_identity(dir.path).err().code == bj::error_code::not_found);
  auto first = open_source(dir.path, cache.path);
  CHECK(answers(*first) == fresh_answers(dir.path));
  const std::string identity = "path:" + fs::canonical(dir.path).string();
  auto c = bd::index_cache::for_journal(cache.path, first->journal());
  REQUIRE(c.has_value());
  CHECK(c->identity() == identity);
  CHECK(first->index_cache_state().path == fmt::format("{}/path-{:016x}.index",
                                                       fs::weakly_canonical(cache.path).string(),
                                                       XXH64(identity.data(), identity.size(), 0)));
  CHECK(first->index_cache_state().saved_to == 10);
  first.reset();
  CHECK(open_source(dir.path, cache.path)->object_seqs(pod("a")).value() == std::vector<std::uint64_t>{3, 5, 9});
  auto second = open_source(dir.path, cache.path);
  second->object_seqs(pod("a")).value();
  CHECK(second->index_cache_state().loaded_to == 10);
}

TEST_CASE("the_journal_directory_is_unchanged_by_an_offline_run_that_writes_the_cache") {
  temp_dir dir, cache;
  append(dir.path, story());
  const auto before = listing(dir.path);
  REQUIRE(!before.empty());
  for (int run = 0; run < 2; ++run) {
    auto s = open_source(dir.path, cache.path);
    CHECK(s->object_seqs(pod("b")).value() == std::vector<std::uint64_t>{4, 7, 10});
  }
  CHECK(listing(dir.path) == before);
  CHECK(listing(cache.path).size() == 1);  // the one cache file, no temporary left behind
}

TEST_CASE("without_a_cache_directory_nothing_is_written") {
  temp_dir dir;
  append(dir.path, story());
  const auto before = listing(dir.path);
  auto s = open_source(dir.path, "");
  CHECK(s->object_seqs(pod("b")).value() == std::vector<std::uint64_t>{4, 7, 10});
  CHECK(s->index_cache_state().path == "");
  CHECK(s->index_cache_state().saved_to == 0);
  CHECK(listing(dir.path) == before);
}

TEST_CASE("a_cache_directory_inside_the_journal_directory_is_not_used") {
  temp_dir dir;
  append(dir.path, story());
  const auto before = listing(dir.path);
  for (const std::string& inside : {dir.path, dir.path + "/cache", dir.path + "/./x/../cache"}) {
    auto s = open_source(dir.path, inside);
    CHECK(s->object_seqs(pod("c")).value() == std::vector<std::uint64_t>{6, 8});
    CHECK(s->index_cache_state().path == "");
  }
  CHECK(listing(dir.path) == before);
}

TEST_CASE("an_unwritable_cache_directory_costs_a_rebuild_not_an_answer") {
  temp_dir dir, cache;
  append(dir.path, story());
  const std::string not_a_dir = fs::weakly_canonical(cache.path).string() + "/file";
  write_bytes(not_a_dir, "not a directory");
  auto s = open_source(dir.path, not_a_dir);
  CHECK(answers(*s) == fresh_answers(dir.path));
  CHECK(s->index_cache_state().saved_to == 0);
  CHECK(s->index_cache_state().save_error.rfind("create " + not_a_dir + ": ", 0) == 0);
  CHECK(read_bytes(not_a_dir) == "not a directory");
}

TEST_CASE("the_default_cache_directory_is_xdg_cache_home_then_home_and_never_relative") {
  auto env = [](std::map<std::string, std::string> vars) {
    return [vars](const char* name) -> std::optional<std::string> {
      auto it = vars.find(name);
      return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
  };
  CHECK(bd::default_index_cache_dir(env({{"XDG_CACHE_HOME", "/x/cache"}, {"HOME", "/home/u"}})) ==
        "/x/cache/berth/journal-index");
  CHECK(bd::default_index_cache_dir(env({{"HOME", "/home/u"}})) == "/home/u/.cache/berth/journal-index");
  CHECK(bd::default_index_cache_dir(env({{"XDG_CACHE_HOME", "rel"}, {"HOME", "/home/u"}})) ==
        "/home/u/.cache/berth/journal-index");
  CHECK(bd::default_index_cache_dir(env({{"HOME", "relative"}})) == "");
  CHECK(bd::default_index_cache_dir(env({})) == "");
}
