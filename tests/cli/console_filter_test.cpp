// `berth console`'s pure parts, part 1: the actor filters (every field and
// operator, every error), the top sort orders and the quantile estimate.
#include <doctest/doctest.h>

#include <cmath>

#include "cli/console_filter.hpp"

using namespace berth::cli;

namespace {

actor_row actor(std::string name, std::string kind, std::uint64_t mailbox, double rate, std::uint64_t handled = 0,
                std::string owner = "") {
  actor_row a;
  a.name = std::move(name);
  a.kind = std::move(kind);
  a.mailbox = mailbox;
  a.rate = rate;
  a.handled = handled;
  a.owner = std::move(owner);
  return a;
}

std::vector<std::string> names_of(const std::vector<actor_row>& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.name);
  return out;
}

const std::vector<actor_row> k_sample{
    actor("store", "store", 3, 40.5, 900),
    actor("scheduler", "scheduler", 0, 2, 50),
    actor("rc/default/web", "rc", 1, 0.5, 20, ""),
    actor("pod/default/web-a", "pod", 0, 0.2, 5, "rc/default/web"),
    actor("pod/default/web-b", "pod", 12, 0, 7, "rc/default/web"),
    actor("pod/default/db-0", "pod", 0, 0, 1, ""),
};

std::vector<std::string> select(std::vector<std::string> tokens) {
  std::string error;
  auto f = parse_filters(tokens, error);
  REQUIRE_MESSAGE(f.has_value(), error);
  return names_of(filter_actors(k_sample, *f));
}

histogram_row hist(std::vector<std::uint64_t> counts) {
  histogram_row h;
  h.bounds = {0.00001, 0.0001, 0.001, 0.01};
  h.counts = std::move(counts);
  for (auto c : h.counts) h.count += c;
  return h;
}

}  // namespace

TEST_CASE("parse_filter reads each field with each operator it takes") {
  struct row {
    const char* token;
    actor_filter expected;
  };
  const row rows[] = {
      {"kind=pod", {filter_field::kind, filter_op::eq, "pod", 0}},
      {"kind!=pod", {filter_field::kind, filter_op::ne, "pod", 0}},
      {"name=web", {filter_field::name, filter_op::eq, "web", 0}},
      {"name!=web", {filter_field::name, filter_op::ne, "web", 0}},
      {"owner=rc/default/web", {filter_field::owner, filter_op::eq, "rc/default/web", 0}},
      {"mailbox>10", {filter_field::mailbox, filter_op::gt, "", 10}},
      {"mailbox>=10", {filter_field::mailbox, filter_op::ge, "", 10}},
      {"mailbox<3", {filter_field::mailbox, filter_op::lt, "", 3}},
      {"mailbox<=3", {filter_field::mailbox, filter_op::le, "", 3}},
      {"mailbox=0", {filter_field::mailbox, filter_op::eq, "", 0}},
      {"mailbox!=0", {filter_field::mailbox, filter_op::ne, "", 0}},
      {"handled>100", {filter_field::handled, filter_op::gt, "", 100}},
      {"rate>0.5", {filter_field::rate, filter_op::gt, "", 0.5}},
      {"name=a=b", {filter_field::name, filter_op::eq, "a=b", 0}},
  };
  for (const auto& r : rows) {
    CAPTURE(r.token);
    std::string error;
    auto f = parse_filter(r.token, error);
    REQUIRE_MESSAGE(f.has_value(), error);
    CHECK(*f == r.expected);
    CHECK(error == "");
  }
}

TEST_CASE("parse_filter errors name the token and what is wrong with it") {
  struct row {
    const char* token;
    const char* error;
  };
  const row rows[] = {
      {"pod", "pod: expected FIELD=VALUE or FIELD>N (e.g. kind=pod, name=web, mailbox>10)"},
      {"=pod", "=pod: expected FIELD=VALUE or FIELD>N (e.g. kind=pod, name=web, mailbox>10)"},
      {"knd=pod", "knd=pod: unknown field \"knd\" (known: kind, name, owner, mailbox, handled, rate)"},
      {"kind=", "kind=: missing value after \"=\""},
      {"mailbox>=", "mailbox>=: missing value after \">=\""},
      {"mailbox>x", "mailbox>x: \"x\" is not a number"},
      {"rate>1.5s", "rate>1.5s: \"1.5s\" is not a number"},
      {"kind>pod", "kind>pod: kind takes = or != (mailbox, handled and rate take >, >=, <, <= too)"},
      {"name<web", "name<web: name takes = or != (mailbox, handled and rate take >, >=, <, <= too)"},
      {"mailbox!5", "mailbox!5: unknown operator (use =, !=, >, >=, <, <=)"},
  };
  for (const auto& r : rows) {
    CAPTURE(r.token);
    std::string error;
    CHECK_FALSE(parse_filter(r.token, error).has_value());
    CHECK(error == r.error);
  }
}

TEST_CASE("parse_filters stops at the first bad token") {
  std::string error;
  CHECK_FALSE(parse_filters({"kind=pod", "mailbox>x", "bogus"}, error).has_value());
  CHECK(error == "mailbox>x: \"x\" is not a number");
}

TEST_CASE("filters: kind and owner match exactly, name is a substring, all filters must hold") {
  CHECK(select({}) == std::vector<std::string>{"store", "scheduler", "rc/default/web", "pod/default/web-a",
                                               "pod/default/web-b", "pod/default/db-0"});
  CHECK(select({"kind=pod"}) == std::vector<std::string>{"pod/default/web-a", "pod/default/web-b", "pod/default/db-0"});
  CHECK(select({"kind=po"}).empty());
  CHECK(select({"kind!=pod"}) == std::vector<std::string>{"store", "scheduler", "rc/default/web"});
  CHECK(select({"name=web"}) == std::vector<std::string>{"rc/default/web", "pod/default/web-a", "pod/default/web-b"});
  CHECK(select({"name!=web"}) == std::vector<std::string>{"store", "scheduler", "pod/default/db-0"});
  CHECK(select({"owner=rc/default/web"}) == std::vector<std::string>{"pod/default/web-a", "pod/default/web-b"});
  CHECK(select({"kind=pod", "name=web"}) == std::vector<std::string>{"pod/default/web-a", "pod/default/web-b"});
}

TEST_CASE("filters: numeric fields compare with every operator") {
  CHECK(select({"mailbox>3"}) == std::vector<std::string>{"pod/default/web-b"});
  CHECK(select({"mailbox>=3"}) == std::vector<std::string>{"store", "pod/default/web-b"});
  CHECK(select({"mailbox<1"}) == std::vector<std::string>{"scheduler", "pod/default/web-a", "pod/default/db-0"});
  CHECK(select({"mailbox<=1"}) ==
        std::vector<std::string>{"scheduler", "rc/default/web", "pod/default/web-a", "pod/default/db-0"});
  CHECK(select({"mailbox=12"}) == std::vector<std::string>{"pod/default/web-b"});
  CHECK(select({"mailbox!=0"}) == std::vector<std::string>{"store", "rc/default/web", "pod/default/web-b"});
  CHECK(select({"rate>0.5"}) == std::vector<std::string>{"store", "scheduler"});
  CHECK(select({"handled>=50"}) == std::vector<std::string>{"store", "scheduler"});
}

TEST_CASE("sort_actors: busiest first by the key, ties by the other key, then by name") {
  auto rows = k_sample;
  sort_actors(rows, sort_key::mailbox);
  CHECK(names_of(rows) == std::vector<std::string>{"pod/default/web-b", "store", "rc/default/web", "scheduler",
                                                   "pod/default/web-a", "pod/default/db-0"});
  sort_actors(rows, sort_key::rate);
  CHECK(names_of(rows) == std::vector<std::string>{"store", "scheduler", "rc/default/web", "pod/default/web-a",
                                                   "pod/default/web-b", "pod/default/db-0"});
}

TEST_CASE("parse_sort_key knows mailbox and rate only") {
  CHECK(parse_sort_key("mailbox") == sort_key::mailbox);
  CHECK(parse_sort_key("rate") == sort_key::rate);
  CHECK_FALSE(parse_sort_key("name").has_value());
  CHECK(std::string(sort_key_name(sort_key::rate)) == "rate");
}

TEST_CASE("estimate_quantile interpolates within the bucket holding the rank") {
  struct row {
    std::vector<std::uint64_t> counts;
    double q;
    double expected;
  };
  const row rows[] = {
      {{10, 0, 0, 0, 0}, 0.5, 0.000005},                                        // first bucket starts at 0
      {{10, 0, 0, 0, 0}, 1.0, 0.00001},     {{0, 10, 0, 0, 0}, 0.5, 0.000055},  // halfway between 10µs and 100µs
      {{50, 50, 0, 0, 0}, 0.5, 0.00001},                                        // the rank ends exactly at a bound
      {{50, 0, 0, 50, 0}, 0.99, 0.0098200},                                     // 49 of 50 into (1ms, 10ms]
      {{0, 0, 4, 0, 0}, 0.25, 0.000325},
  };
  for (const auto& r : rows) {
    CAPTURE(r.q);
    auto v = estimate_quantile(hist(r.counts), r.q);
    REQUIRE(v.has_value());
    CHECK(*v == doctest::Approx(r.expected).epsilon(1e-9));
  }
}

TEST_CASE("estimate_quantile: empty is unknown, the overflow bucket is infinite") {
  CHECK_FALSE(estimate_quantile(hist({0, 0, 0, 0, 0}), 0.5).has_value());
  CHECK_FALSE(estimate_quantile(histogram_row{}, 0.5).has_value());
  auto v = estimate_quantile(hist({1, 0, 0, 0, 99}), 0.5);
  REQUIRE(v.has_value());
  CHECK(std::isinf(*v));
}

TEST_CASE("format_seconds picks µs, ms or s and a precision that fits the column") {
  struct row {
    double seconds;
    const char* text;
  };
  const row rows[] = {{0, "0µs"},      {0.000007, "7µs"}, {0.000450, "450µs"}, {0.0009996, "1.0ms"}, {0.0012, "1.2ms"},
                      {0.035, "35ms"}, {0.9994, "999ms"}, {1.5, "1.5s"},       {12.26, "12.3s"}};
  for (const auto& r : rows) {
    CAPTURE(r.seconds);
    CHECK(format_seconds(r.seconds) == r.text);
  }
}

TEST_CASE("format_quantile: '-' without messages, '>BOUND' past the last bound") {
  CHECK(format_quantile(hist({0, 0, 0, 0, 0}), 0.5) == "-");
  CHECK(format_quantile(hist({0, 10, 0, 0, 0}), 0.5) == "55µs");
  CHECK(format_quantile(hist({0, 0, 0, 0, 3}), 0.99) == ">10ms");
}
