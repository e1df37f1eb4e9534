#pragma once
// Fallible journal calls return a `status` or a `result<T>`: errors are
// values that carry the numbers that matter, never exceptions.

#include <string>
#include <utility>
#include <variant>

namespace berth::journal {

enum class error_code {
  io,                // the disk or RocksDB failed
  corruption,        // a record or snapshot failed its checks
  not_found,         // no such sequence number or snapshot
  invalid_argument,  // the caller asked for something impossible
  closed,            // the journal or writer is shut down
  full,              // the journal's file system is (nearly) full: retry once space is freed
};

/// "io", "corruption", ...
const char* to_string(error_code c);

struct error {
  error_code code;
  std::string message;  // names the sequence number / key / offset involved
};

/// Success, or an error.
class status {
 public:
  status() = default;
  status(error e) : error_(std::move(e)), ok_(false) {}  // NOLINT: implicit by design
  static status ok_status() { return {}; }
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const error& err() const { return error_; }
  std::string to_string() const;  // "ok" or "corruption: seq 41: ..."

 private:
  error error_{error_code::io, {}};
  bool ok_ = true;
};

/// A value or an error. `value()` on an error is a programming mistake (asserts).
template <class T>
class result {
 public:
  result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  result(error e) : v_(std::move(e)) {}      // NOLINT
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const error& err() const { return std::get<1>(v_); }
  status to_status() const { return ok() ? status{} : status{err()}; }

 private:
  std::variant<T, error> v_;
};

}  // namespace berth::journal
