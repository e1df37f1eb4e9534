#pragma once
// A value or an error message, for the pure functions of berth::reconcile.
//
// C++20 has no std::expected; this is the small part of it we need. Parsing
// user text (selectors) fails as an ordinary outcome, so it is a value, not an
// exception: exceptions are for bugs and broken invariants only.

#include <string>
#include <utility>
#include <variant>

namespace berth::reconcile {

/// Either a T or a message for people that names what was wrong and where.
/// A value type: copyable, compared with ==.
template <class T>
class result {
 public:
  /// A successful result holding `value`.
  static result success(T value) { return result(std::in_place_index<0>, std::move(value)); }
  /// A failed result carrying `message`.
  static result failure(std::string message) { return result(std::in_place_index<1>, std::move(message)); }

  /// True when a value is held.
  bool ok() const { return v_.index() == 0; }
  /// The value; precondition ok().
  const T& value() const { return std::get<0>(v_); }
  /// The error message; precondition !ok().
  const std::string& error() const { return std::get<1>(v_); }

  bool operator==(const result&) const = default;

 private:
  template <std::size_t I, class A>
  result(std::in_place_index_t<I> i, A&& a) : v_(i, std::forward<A>(a)) {}

  std::variant<T, std::string> v_;
};

}  // namespace berth::reconcile
