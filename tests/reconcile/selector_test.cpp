// Label and field selectors: parsing (good and bad, exact messages), matching,
// canonical text.
#include <doctest/doctest.h>

#include <string>

#include "actors/reconcile/field_selector.hpp"
#include "actors/reconcile/selector.hpp"
#include "tests/reconcile/fixtures.hpp"

namespace berth::reconcile {
namespace {

std::string canonical(std::string_view text) {
  auto r = parse_label_selector(text);
  REQUIRE_MESSAGE(r.ok(), r.error());
  return to_string(r.value());
}

std::string label_error(std::string_view text) {
  auto r = parse_label_selector(text);
  REQUIRE_MESSAGE(!r.ok(), "parsed: ", to_string(r.value()));
  return r.error();
}

bool label_match(std::string_view text, const model::string_map& labels) {
  auto r = parse_label_selector(text);
  REQUIRE_MESSAGE(r.ok(), r.error());
  return matches(r.value(), labels);
}

std::string field_error(std::string_view text) {
  auto r = parse_field_selector(text);
  REQUIRE_MESSAGE(!r.ok(), "parsed: ", to_string(r.value()));
  return r.error();
}

}  // namespace

TEST_CASE("label_selector_parses_every_operator_into_canonical_text") {
  CHECK(canonical("a=b,c!=d,e in (y,x),!f,g") == "a=b,c!=d,e in (x,y),!f,g");
  CHECK(canonical("e notin (z)") == "e notin (z)");
}

TEST_CASE("label_selector_requirement_shapes") {
  auto r = parse_label_selector("tier in (web,db,web),!legacy");
  REQUIRE(r.ok());
  const auto& reqs = r.value().requirements;
  REQUIRE(reqs.size() == 2);
  CHECK(reqs[0] == label_requirement{"legacy", selector_op::does_not_exist, {}});
  CHECK(reqs[1] == label_requirement{"tier", selector_op::in, {"db", "web"}});
}

TEST_CASE("double_equals_folds_into_equals") {
  CHECK(parse_label_selector("a==b") == parse_label_selector("a=b"));
  CHECK(canonical("a==b") == "a=b");
}

TEST_CASE("whitespace_around_tokens_is_tolerated") {
  CHECK(canonical("  a = b ,  e  in(x , y) , ! f ") == "a=b,e in (x,y),!f");
  CHECK(canonical("a notin(x)") == "a notin (x)");
}

TEST_CASE("empty_and_blank_text_is_the_empty_selector_that_matches_everything") {
  for (const char* text : {"", "   "}) {
    auto r = parse_label_selector(text);
    REQUIRE(r.ok());
    CHECK(r.value().empty());
    CHECK(matches(r.value(), {}));
    CHECK(matches(r.value(), {{"a", "b"}}));
  }
}

TEST_CASE("equals_without_a_value_compares_with_the_empty_value") {
  CHECK(canonical("a=,b") == "a=,b");
  CHECK(label_match("a=", {{"a", ""}}));
  CHECK_FALSE(label_match("a=", {{"a", "x"}}));
  CHECK_FALSE(label_match("a=", {}));
}

TEST_CASE("requirements_sort_by_key_and_keep_their_order_within_a_key") {
  CHECK(canonical("z=1,a=2") == "a=2,z=1");
  CHECK(canonical("b!=2,a,b=1") == "a,b!=2,b=1");
}

TEST_CASE("set_values_are_sorted_and_deduplicated") { CHECK(canonical("a in (c,b,c,a)") == "a in (a,b,c)"); }

TEST_CASE("prefixed_keys_and_dotted_values_parse") {
  CHECK(canonical("app.kubernetes.io/name=web-1.2_x") == "app.kubernetes.io/name=web-1.2_x");
}

TEST_CASE("keywords_are_keys_when_they_stand_where_a_key_stands") { CHECK(canonical("in,notin=x") == "in,notin=x"); }

TEST_CASE("label_selector_syntax_errors_name_the_offset_and_what_was_expected") {
  CHECK(label_error("a=b, c,)") == "unexpected \")\" at offset 7, expected a label key");
  CHECK(label_error("a,") == "unexpected end of input at offset 2, expected a label key");
  CHECK(label_error("!") == "unexpected end of input at offset 1, expected a label key");
  CHECK(label_error("=b") == "unexpected \"=\" at offset 0, expected a label key");
  CHECK(label_error("a in x") == "unexpected \"x\" at offset 5, expected \"(\"");
  CHECK(label_error("a in ()") == "unexpected \")\" at offset 6, expected a label value");
  CHECK(label_error("a in (x y)") == "unexpected \"y\" at offset 8, expected \",\" or \")\"");
  CHECK(label_error("a in (x") == "unexpected end of input at offset 7, expected \",\" or \")\"");
  CHECK(label_error("a=(") == "unexpected \"(\" at offset 2, expected a label value");
  CHECK(label_error("a=b c") == "unexpected \"c\" at offset 4, expected \",\" or end of input");
  CHECK(label_error("a b") ==
        "unexpected \"b\" at offset 2, expected \"=\", \"==\", \"!=\", \"in\", \"notin\", \",\" "
        "or end of input");
  CHECK(label_error("a!b") ==
        "unexpected \"!\" at offset 1, expected \"=\", \"==\", \"!=\", \"in\", \"notin\", \",\" "
        "or end of input");
}

TEST_CASE("invalid_label_keys_and_values_are_named_with_the_rule_they_break") {
  CHECK(label_error("-a=b") ==
        "invalid label key \"-a\" at offset 0: name part must start and end with an alphanumeric "
        "character");
  CHECK(label_error("x, Foo/a") ==
        "invalid label key \"Foo/a\" at offset 3: prefix part must start and end with a lowercase "
        "alphanumeric character");
  CHECK(label_error("a/b/c") ==
        "invalid label key \"a/b/c\" at offset 0: a key may contain at "
        "most one \"/\"");
  CHECK(label_error("a/") == "invalid label key \"a/\" at offset 0: name part must not be empty");
  CHECK(label_error(std::string(64, 'k')) ==
        "invalid label key \"" + std::string(64, 'k') +
            "\" at offset 0: name part must be no more than 63 characters, got 64");
  CHECK(label_error("a=b$c") ==
        "invalid label value \"b$c\" at offset 2: a value may contain only alphanumerics, \"-\", "
        "\"_\" and \".\", found \"$\"");
  CHECK(label_error("a in (x,.y)") ==
        "invalid label value \".y\" at offset 8: a value must start and end with an alphanumeric "
        "character");
}

TEST_CASE("label_matching_follows_kubernetes_semantics") {
  CHECK(label_match("a=b", {{"a", "b"}}));
  CHECK_FALSE(label_match("a=b", {{"a", "c"}}));
  CHECK_FALSE(label_match("a=b", {}));
  CHECK(label_match("a!=b", {}));  // absent keys satisfy !=
  CHECK(label_match("a!=b", {{"a", "c"}}));
  CHECK_FALSE(label_match("a!=b", {{"a", "b"}}));
  CHECK(label_match("a in (x,y)", {{"a", "y"}}));
  CHECK_FALSE(label_match("a in (x,y)", {}));
  CHECK(label_match("a notin (x)", {}));  // absent keys satisfy notin
  CHECK_FALSE(label_match("a notin (x)", {{"a", "x"}}));
  CHECK(label_match("a", {{"a", ""}}));
  CHECK_FALSE(label_match("a", {{"b", "a"}}));
  CHECK(label_match("!a", {{"b", "a"}}));
  CHECK_FALSE(label_match("!a", {{"a", ""}}));
  CHECK(label_match("a=b,c", {{"a", "b"}, {"c", "1"}}));
  CHECK_FALSE(label_match("a=b,c", {{"a", "b"}}));
}

TEST_CASE("from_map_requires_every_pair_and_prints_as_equalities") {
  const auto s = from_map({{"tier", "fe"}, {"app", "web"}});
  CHECK(to_string(s) == "app=web,tier=fe");
  CHECK(matches(s, {{"app", "web"}, {"tier", "fe"}, {"extra", "x"}}));
  CHECK_FALSE(matches(s, {{"app", "web"}}));
  CHECK(parse_label_selector("app=web,tier=fe").value() == s);
  CHECK(from_map({}).empty());
}

TEST_CASE("field_selector_parses_and_matches_pod_fields") {
  auto r = parse_field_selector("spec.nodeName=n1, status.phase!=Running");
  REQUIRE_MESSAGE(r.ok(), r.error());
  CHECK(to_string(r.value()) == "spec.nodeName=n1,status.phase!=Running");
  auto p = test::make_pod("web-1");
  p.spec.node_name = "n1";
  CHECK(matches(r.value(), p));  // Pending
  p.status.phase = model::pod_phase::running;
  CHECK_FALSE(matches(r.value(), p));
  p.status.phase = model::pod_phase::succeeded;
  p.spec.node_name = "n2";
  CHECK_FALSE(matches(r.value(), p));
}

TEST_CASE("field_selector_name_namespace_and_double_equals") {
  auto r = parse_field_selector(" metadata.name == web-1 ,metadata.namespace=kube-system");
  REQUIRE_MESSAGE(r.ok(), r.error());
  CHECK(to_string(r.value()) == "metadata.name=web-1,metadata.namespace=kube-system");
  CHECK(matches(r.value(), test::make_pod("web-1", "kube-system")));
  CHECK_FALSE(matches(r.value(), test::make_pod("web-1")));
  CHECK_FALSE(matches(r.value(), test::make_pod("web-2", "kube-system")));
}

TEST_CASE("field_selector_metadata_terms_select_any_kind") {
  auto meta_only = parse_field_selector("metadata.name=web,metadata.namespace!=kube-system");
  REQUIRE(meta_only.ok());
  CHECK(metadata_only(meta_only.value()));
  model::object_meta m;
  m.name = "web";
  m.namespace_ = "default";
  CHECK(matches(meta_only.value(), m));
  m.namespace_ = "kube-system";
  CHECK_FALSE(matches(meta_only.value(), m));
  auto with_phase = parse_field_selector("metadata.name=web,status.phase=Running");
  REQUIRE(with_phase.ok());
  CHECK_FALSE(metadata_only(with_phase.value()));
  CHECK(metadata_only(parse_field_selector("").value()));
}

TEST_CASE("field_selector_with_an_empty_node_name_finds_unbound_pods") {
  auto r = parse_field_selector("spec.nodeName=");
  REQUIRE(r.ok());
  CHECK(matches(r.value(), test::make_pod("pending")));
  CHECK_FALSE(matches(r.value(), test::running_pod("bound", "10.0.0.1")));
}

TEST_CASE("empty_field_selector_matches_every_pod") {
  auto r = parse_field_selector("");
  REQUIRE(r.ok());
  CHECK(r.value().empty());
  CHECK(matches(r.value(), test::make_pod("x")));
}

TEST_CASE("field_selector_errors_name_the_field_or_the_offset") {
  CHECK(field_error("spec.foo=x") ==
        "field label not supported: \"spec.foo\" (supported: metadata.name, metadata.namespace, "
        "spec.nodeName, status.phase)");
  CHECK(field_error("metadata.name") ==
        "invalid field selector term \"metadata.name\" at offset 0: expected \"=\", \"==\" or "
        "\"!=\"");
  CHECK(field_error("status.phase=Running,,") ==
        "invalid field selector term \"\" at offset 21: expected \"=\", \"==\" or \"!=\"");
  CHECK(field_error("a=1, metadata.name!x") ==
        "field label not supported: \"a\" (supported: "
        "metadata.name, metadata.namespace, spec.nodeName, "
        "status.phase)");
  CHECK(field_error("metadata.name!x") == "unexpected \"!\" at offset 13, expected \"!=\"");
}

}  // namespace berth::reconcile
