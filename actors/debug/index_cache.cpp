#include "actors/debug/index_cache.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <xxhash.h>

#include <fmt/format.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <string_view>
#include <system_error>
#include <vector>

namespace berth::debug {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view k_magic{"BRTHOIX\0", 8};
constexpr std::size_t k_header_bytes = 8 + 4;
constexpr std::size_t k_checksum_bytes = 8;

journal::error corrupt(std::string reason) { return {journal::error_code::corruption, std::move(reason)}; }

journal::error io_error(const std::string& call, const std::string& path, int e) {
  return {journal::error_code::io, fmt::format("{} {}: {}", call, path, std::strerror(e))};
}

// --- encoding ---------------------------------------------------------------

void put_var(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

void put_u64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

void put_str(std::string& out, std::string_view s) {
  put_var(out, s.size());
  out.append(s);
}

/// The little-endian number in the first `n` bytes of `b`.
std::uint64_t get_le(std::string_view b, int n) {
  std::uint64_t v = 0;
  for (int i = n - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(b[i]);
  return v;
}

/// Strings in first-seen order, numbered: the kind and namespace tables.
class string_table {
 public:
  std::uint64_t number(const std::string& s) {
    auto [it, fresh] = numbers_.try_emplace(s, order_.size());
    if (fresh) order_.push_back(s);
    return it->second;
  }
  void write(std::string& out) const {
    put_var(out, order_.size());
    for (const auto& s : order_) put_str(out, s);
  }

 private:
  std::map<std::string, std::uint64_t> numbers_;
  std::vector<std::string> order_;
};

// --- decoding ---------------------------------------------------------------

/// Reads the body; every read checks the bounds (the checksum has been
/// checked, but a file written by a buggy build must not crash a reader).
class body_reader {
 public:
  body_reader(std::string_view bytes, std::size_t base) : b_(bytes), base_(base) {}

  bool var(std::uint64_t& v) {
    v = 0;
    for (int shift = 0; shift < 64 && at_ < b_.size(); shift += 7) {
      const auto byte = static_cast<unsigned char>(b_[at_++]);
      v |= std::uint64_t(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return true;
    }
    return false;
  }
  bool u64(std::uint64_t& v) {
    if (b_.size() - at_ < 8) return false;
    v = get_le(b_.substr(at_, 8), 8);
    at_ += 8;
    return true;
  }
  bool str(std::string& s) {
    std::uint64_t n = 0;
    if (!var(n) || n > b_.size() - at_) return false;
    s.assign(b_.substr(at_, n));
    at_ += n;
    return true;
  }
  bool table(std::vector<std::string>& out) {
    std::uint64_t n = 0;
    if (!var(n) || n > b_.size() - at_) return false;
    out.resize(n);
    for (auto& s : out)
      if (!str(s)) return false;
    return true;
  }
  bool at_end() const { return at_ == b_.size(); }
  /// Offset in the whole file, for messages.
  std::size_t offset() const { return base_ + at_; }

 private:
  std::string_view b_;
  std::size_t base_;
  std::size_t at_ = 0;
};

/// A decoded file.
struct index_file {
  std::string identity;
  std::uint64_t first_seq = 0, first_fp = 0, indexed_to = 0, last_fp = 0;
  object_index::entry_map entries;
  std::vector<bool> seen;  // seq first_seq + i named by an entry: each exactly once
  std::uint64_t seqs = 0;  // total over the entries
};

/// One entry: table numbers, name, delta-encoded seqs (ascending, within
/// first_seq..indexed_to). Empty string when good, else the reason.
std::string read_entry(body_reader& r, const std::vector<std::string>& kinds,
                       const std::vector<std::string>& namespaces, index_file& f) {
  const std::size_t at = r.offset();
  std::uint64_t kind = 0, ns = 0, count = 0;
  object_id id;
  if (!r.var(kind) || !r.var(ns) || !r.str(id.name) || !r.var(count)) return fmt::format("malformed at byte {}", at);
  if (kind >= kinds.size() || ns >= namespaces.size())
    return fmt::format("entry at byte {}: table number out of range (kind {}, namespace {})", at, kind, ns);
  id.kind = kinds[kind];
  id.namespace_ = namespaces[ns];
  if (!f.entries.empty() && !(f.entries.rbegin()->first < id))
    return fmt::format("entry at byte {}: {}/{}/{} out of order", at, id.kind, id.namespace_, id.name);
  if (count == 0 || count > f.indexed_to) return fmt::format("entry at byte {}: {} seqs", at, count);
  std::vector<std::uint64_t> seqs(count);
  std::uint64_t seq = 0;
  for (auto& s : seqs) {
    std::uint64_t delta = 0;
    if (!r.var(delta)) return fmt::format("malformed at byte {}", r.offset());
    if (delta == 0 || delta > f.indexed_to - seq)
      return fmt::format("entry at byte {}: seq {} + {} is not ascending within ..{}", at, seq, delta, f.indexed_to);
    s = seq += delta;
    if (seq < f.first_seq) return fmt::format("entry at byte {}: seq {} before the first seq {}", at, seq, f.first_seq);
    if (f.seen[seq - f.first_seq]) return fmt::format("entry at byte {}: seq {} named twice", at, seq);
    f.seen[seq - f.first_seq] = true;
  }
  f.seqs += count;
  f.entries.emplace_hint(f.entries.end(), std::move(id), std::move(seqs));
  return {};
}

/// Magic, version and checksum: the file is whole and of this format.
std::optional<journal::error> check_frame(std::string_view bytes) {
  if (bytes.size() < k_header_bytes + k_checksum_bytes)
    return corrupt(fmt::format("{} bytes, shorter than any index file", bytes.size()));
  if (bytes.substr(0, 8) != k_magic) return corrupt("bad magic: not an object index file");
  const auto version = get_le(bytes.substr(8), 4);
  if (version != k_index_cache_version)
    return corrupt(fmt::format("format version {}, this build reads {}", version, k_index_cache_version));
  const std::size_t end = bytes.size() - k_checksum_bytes;
  const std::uint64_t stored = get_le(bytes.substr(end), 8);
  const std::uint64_t computed = XXH64(bytes.data(), end, 0);
  if (stored != computed)
    return corrupt(fmt::format("checksum mismatch: stored {:#018x}, computed {:#018x}", stored, computed));
  return std::nullopt;
}

/// The header fields against this journal (before the entries are read:
/// indexed_to sizes `seen`).
std::optional<journal::error> check_header(const index_file& f, const std::string& identity,
                                           const journal::journal& j) {
  if (f.identity != identity) return corrupt(fmt::format("made for journal {}, not {}", f.identity, identity));
  if (f.first_seq != j.first_seq())
    return corrupt(fmt::format("first seq {}, the journal's is {}", f.first_seq, j.first_seq()));
  if (f.indexed_to > j.last_seq())
    return corrupt(fmt::format("indexed to seq {}, beyond the journal's last seq {}", f.indexed_to, j.last_seq()));
  if (f.indexed_to < f.first_seq || f.first_seq == 0)
    return corrupt(fmt::format("indexed to seq {}, before the first seq {}", f.indexed_to, f.first_seq));
  return std::nullopt;
}

/// Records first_seq and indexed_to as they are in the journal now.
std::optional<journal::error> check_fingerprints(const index_file& f, const journal::journal& j) {
  for (auto [seq, saved] : {std::pair{f.first_seq, f.first_fp}, std::pair{f.indexed_to, f.last_fp}}) {
    auto now = record_fingerprint(j, seq);
    if (!now.ok()) return now.err();
    if (now.value() != saved)
      return corrupt(fmt::format("record {} changed since it was indexed (fingerprint {:#018x}, now {:#018x})", seq,
                                 saved, now.value()));
  }
  return std::nullopt;
}

/// A whole file checked against `j` (header comment of index_cache.hpp).
journal::result<index_file> decode(std::string_view bytes, const std::string& identity, const journal::journal& j) {
  if (auto e = check_frame(bytes)) return *e;
  const std::size_t end = bytes.size() - k_checksum_bytes;
  body_reader r(bytes.substr(k_header_bytes, end - k_header_bytes), k_header_bytes);
  index_file f;
  if (!r.str(f.identity) || !r.var(f.first_seq) || !r.u64(f.first_fp) || !r.var(f.indexed_to) || !r.u64(f.last_fp))
    return corrupt(fmt::format("malformed at byte {}", r.offset()));
  if (auto e = check_header(f, identity, j)) return *e;
  f.seen.resize(f.indexed_to - f.first_seq + 1);
  std::vector<std::string> kinds, namespaces;
  std::uint64_t objects = 0;
  if (!r.table(kinds) || !r.table(namespaces) || !r.var(objects))
    return corrupt(fmt::format("malformed at byte {}", r.offset()));
  for (std::uint64_t i = 0; i < objects; ++i)
    if (auto why = read_entry(r, kinds, namespaces, f); !why.empty()) return corrupt(std::move(why));
  if (!r.at_end()) return corrupt(fmt::format("{} bytes after the last entry", end - r.offset()));
  if (f.seqs != f.seen.size())
    return corrupt(
        fmt::format("holds {} seqs, expected {} (seqs {}..{})", f.seqs, f.seen.size(), f.first_seq, f.indexed_to));
  if (auto e = check_fingerprints(f, j)) return *e;
  return f;
}

journal::result<std::string> read_file(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    const int e = errno;
    if (e == ENOENT) return journal::error{journal::error_code::not_found, fmt::format("no file {}", path)};
    return io_error("open", path, e);
  }
  std::string bytes;
  char buffer[1 << 16];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) bytes.append(buffer, n);
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) return journal::error{journal::error_code::io, fmt::format("read {}: I/O error", path)};
  return bytes;
}

/// Writes `bytes` to `path` and fsyncs it; the caller removes it on error.
journal::status write_synced(const std::string& path, std::string_view bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return io_error("open", path, errno);
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int e = errno;
      ::close(fd);
      return io_error("write", path, e);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    const int e = errno;
    ::close(fd);
    return io_error("fsync", path, e);
  }
  if (::close(fd) != 0) return io_error("close", path, errno);
  return {};
}

/// A file name from an identity: its safe characters, or a hash of it.
std::string file_name_for(const std::string& identity, const std::string& fallback_key) {
  if (!fallback_key.empty())
    return fmt::format("path-{:016x}.index", XXH64(fallback_key.data(), fallback_key.size(), 0));
  std::string name;
  for (char c : identity) name.push_back(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' ? c : '_');
  return name + ".index";
}

bool inside(const fs::path& dir, const fs::path& root) {
  auto d = dir.begin();
  for (auto r = root.begin(); r != root.end(); ++r, ++d)
    if (d == dir.end() || *d != *r) return false;
  return true;
}

}  // namespace

std::string default_index_cache_dir(const env_lookup& getenv) {
  if (auto xdg = getenv("XDG_CACHE_HOME"); xdg && fs::path(*xdg).is_absolute())
    return (fs::path(*xdg) / "berth" / "journal-index").string();
  if (auto home = getenv("HOME"); home && fs::path(*home).is_absolute())
    return (fs::path(*home) / ".cache" / "berth" / "journal-index").string();
  return {};
}

std::optional<index_cache> index_cache::for_journal(const std::string& cache_dir, const journal::journal& j) {
  if (cache_dir.empty()) return std::nullopt;
  std::error_code ec;
  const fs::path journal_dir = fs::weakly_canonical(j.dir(), ec);
  if (ec) return std::nullopt;
  const fs::path dir = fs::weakly_canonical(fs::absolute(cache_dir, ec), ec);
  if (ec || inside(dir, journal_dir)) return std::nullopt;
  // RocksDB's identity follows the journal when its directory is copied; a
  // directory without one (it is written at creation) is known by its path.
  auto id = journal::read_identity(j.dir());
  if (id.ok()) return index_cache((dir / file_name_for(id.value(), "")).string(), "rocksdb:" + id.value());
  const std::string identity = "path:" + journal_dir.string();
  return index_cache((dir / file_name_for(identity, identity)).string(), identity);
}

journal::result<object_index> index_cache::load(const journal::journal& j) const {
  auto bytes = read_file(path_);
  if (!bytes.ok()) return bytes.err();
  auto f = decode(bytes.value(), identity_, j);
  if (!f.ok()) return f.err();
  return object_index(std::move(f.value().entries), f.value().indexed_to);
}

journal::status index_cache::save(const journal::journal& j, const object_index& index) const {
  if (index.indexed_to() == 0) return {};
  auto first_fp = record_fingerprint(j, j.first_seq());
  if (!first_fp.ok()) return first_fp.err();
  auto last_fp = record_fingerprint(j, index.indexed_to());
  if (!last_fp.ok()) return last_fp.err();
  const std::string bytes = encode_index_file(index, identity_, j.first_seq(), first_fp.value(), last_fp.value());
  const fs::path path(path_);
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec)
    return journal::error{journal::error_code::io,
                          fmt::format("create {}: {}", path.parent_path().string(), ec.message())};
  // Unique per process: two tools saving at once each rename a whole file.
  const std::string tmp = fmt::format("{}.tmp-{}", path_, ::getpid());
  if (auto st = write_synced(tmp, bytes); !st) {
    ::unlink(tmp.c_str());
    return st;
  }
  if (::rename(tmp.c_str(), path_.c_str()) != 0) {
    const int e = errno;
    ::unlink(tmp.c_str());
    return io_error("rename to", path_, e);
  }
  // The rename is durable once the directory is.
  const std::string parent = path.parent_path().string();
  const int dfd = ::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return io_error("open", parent, errno);
  const int rc = ::fsync(dfd);
  const int e = errno;
  ::close(dfd);
  if (rc != 0) return io_error("fsync", parent, e);
  return {};
}

journal::result<std::uint64_t> record_fingerprint(const journal::journal& j, std::uint64_t seq) {
  auto r = j.read(seq);
  if (!r.ok()) return r.err();
  std::string head;
  put_u64(head, static_cast<std::uint64_t>(r.value().time_ns));
  head.push_back(static_cast<char>(r.value().type & 0xff));
  head.push_back(static_cast<char>(r.value().type >> 8));
  head.push_back(static_cast<char>(r.value().flags & 0xff));
  head.push_back(static_cast<char>(r.value().flags >> 8));
  head += r.value().payload;  // two records per run: a copy is cheaper than a streaming state
  return std::uint64_t{XXH64(head.data(), head.size(), 0)};
}

std::string encode_index_file(const object_index& index, const std::string& identity, std::uint64_t first_seq,
                              std::uint64_t first_fp, std::uint64_t last_fp) {
  string_table kinds, namespaces;
  std::string entries;
  for (const auto& [id, seqs] : index.entries()) {
    put_var(entries, kinds.number(id.kind));
    put_var(entries, namespaces.number(id.namespace_));
    put_str(entries, id.name);
    put_var(entries, seqs.size());
    std::uint64_t previous = 0;
    for (auto seq : seqs) {
      put_var(entries, seq - previous);
      previous = seq;
    }
  }
  std::string out(k_magic);
  out.push_back(static_cast<char>(k_index_cache_version & 0xff));
  out.push_back(static_cast<char>((k_index_cache_version >> 8) & 0xff));
  out.push_back(static_cast<char>((k_index_cache_version >> 16) & 0xff));
  out.push_back(static_cast<char>((k_index_cache_version >> 24) & 0xff));
  put_str(out, identity);
  put_var(out, first_seq);
  put_u64(out, first_fp);
  put_var(out, index.indexed_to());
  put_u64(out, last_fp);
  kinds.write(out);
  namespaces.write(out);
  put_var(out, index.entries().size());
  out += entries;
  put_u64(out, XXH64(out.data(), out.size(), 0));
  return out;
}

}  // namespace berth::debug
