#include "actors/kube/protobuf_json.hpp"

#include <cstdint>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "actors/kube/protobuf_wire.hpp"
#include "actors/text/json_quote.hpp"

namespace berth::kube {
namespace {

using wire::wire_reader;

// ---------------------------------------------------------------- the schema

/// How one field's value is encoded and shown in JSON.
enum class pb : std::uint8_t {
  string,         // length-delimited UTF-8 -> JSON string
  int32,          // varint -> JSON number (negative values as Go writes them: 10 bytes)
  int64,          // varint -> JSON number
  boolean,        // varint -> true/false
  message,        // length-delimited message -> JSON object
  quantity,       // resource.Quantity {1: string} -> JSON string
  int_or_string,  // intstr.IntOrString {1: type, 2: intVal, 3: strVal} -> number or string
  string_map,     // map<string,string>: repeated {1: key, 2: value} -> JSON object
  quantity_map,   // map<string,Quantity> -> JSON object of strings
};

struct message_spec;

struct field_spec {
  std::uint32_t number;
  std::string_view json;
  pb type;
  bool repeated = false;
  const message_spec* message = nullptr;  // pb::message only
};

struct message_spec {
  std::string_view name;  // for errors: "Service", "ServicePort", ...
  std::vector<field_spec> fields;

  const field_spec* find(std::uint32_t number) const {
    for (const auto& f : fields)
      if (f.number == number) return &f;
    return nullptr;
  }
};

// k8s.io/apimachinery/pkg/apis/meta/v1 ObjectMeta: what a client may write.
const message_spec k_object_meta{"metadata",
                                  {{1, "name", pb::string},
                                   {2, "generateName", pb::string},
                                   {3, "namespace", pb::string},
                                   {6, "resourceVersion", pb::string},
                                   {11, "labels", pb::string_map},
                                   {12, "annotations", pb::string_map}}};

// k8s.io/api/core/v1, field numbers from its generated.proto.
const message_spec k_object_reference{"ObjectReference",
                                      {{1, "kind", pb::string},
                                       {2, "namespace", pb::string},
                                       {3, "name", pb::string},
                                       {4, "uid", pb::string},
                                       {5, "apiVersion", pb::string},
                                       {6, "resourceVersion", pb::string},
                                       {7, "fieldPath", pb::string}}};

const message_spec k_service_port{"ServicePort",
                                  {{1, "name", pb::string},
                                   {2, "protocol", pb::string},
                                   {3, "port", pb::int32},
                                   {4, "targetPort", pb::int_or_string},
                                   {5, "nodePort", pb::int32},
                                   {6, "appProtocol", pb::string}}};

const message_spec k_service_spec{"ServiceSpec",
                                  {{1, "ports", pb::message, true, &k_service_port},
                                   {2, "selector", pb::string_map},
                                   {3, "clusterIP", pb::string},
                                   {4, "type", pb::string},
                                   {5, "externalIPs", pb::string, true},
                                   {7, "sessionAffinity", pb::string},
                                   {8, "loadBalancerIP", pb::string},
                                   {9, "loadBalancerSourceRanges", pb::string, true},
                                   {10, "externalName", pb::string},
                                   {11, "externalTrafficPolicy", pb::string},
                                   {12, "healthCheckNodePort", pb::int32},
                                   {13, "publishNotReadyAddresses", pb::boolean},
                                   {17, "ipFamilyPolicy", pb::string},
                                   {18, "clusterIPs", pb::string, true},
                                   {19, "ipFamilies", pb::string, true},
                                   {21, "loadBalancerClass", pb::string},
                                   {22, "internalTrafficPolicy", pb::string}}};

const message_spec k_service{"Service", {{1, "metadata", pb::message, false, &k_object_meta},
                                         {2, "spec", pb::message, false, &k_service_spec}}};

const message_spec k_resource_quota_spec{"ResourceQuotaSpec",
                                         {{1, "hard", pb::quantity_map}, {2, "scopes", pb::string, true}}};

const message_spec k_resource_quota{"ResourceQuota", {{1, "metadata", pb::message, false, &k_object_meta},
                                                      {2, "spec", pb::message, false, &k_resource_quota_spec}}};

const message_spec k_limit_range_item{"LimitRangeItem",
                                      {{1, "type", pb::string},
                                       {2, "max", pb::quantity_map},
                                       {3, "min", pb::quantity_map},
                                       {4, "default", pb::quantity_map},
                                       {5, "defaultRequest", pb::quantity_map},
                                       {6, "maxLimitRequestRatio", pb::quantity_map}}};

const message_spec k_limit_range_spec{"LimitRangeSpec", {{1, "limits", pb::message, true, &k_limit_range_item}}};

const message_spec k_limit_range{"LimitRange", {{1, "metadata", pb::message, false, &k_object_meta},
                                                {2, "spec", pb::message, false, &k_limit_range_spec}}};

const message_spec k_endpoint_address{"EndpointAddress",
                                      {{1, "ip", pb::string},
                                       {2, "targetRef", pb::message, false, &k_object_reference},
                                       {3, "hostname", pb::string},
                                       {4, "nodeName", pb::string}}};

const message_spec k_endpoint_port{"EndpointPort", {{1, "name", pb::string},
                                                    {2, "port", pb::int32},
                                                    {3, "protocol", pb::string},
                                                    {4, "appProtocol", pb::string}}};

const message_spec k_endpoint_subset{"EndpointSubset",
                                     {{1, "addresses", pb::message, true, &k_endpoint_address},
                                      {2, "notReadyAddresses", pb::message, true, &k_endpoint_address},
                                      {3, "ports", pb::message, true, &k_endpoint_port}}};

const message_spec k_endpoints{"Endpoints", {{1, "metadata", pb::message, false, &k_object_meta},
                                             {2, "subsets", pb::message, true, &k_endpoint_subset}}};

const message_spec* spec_of_kind(std::string_view kind) {
  if (kind == "Service") return &k_service;
  if (kind == "ResourceQuota") return &k_resource_quota;
  if (kind == "LimitRange") return &k_limit_range;
  if (kind == "Endpoints") return &k_endpoints;
  return nullptr;
}

// ------------------------------------------------------------ the JSON tree

/// A JSON value under construction: members keep the order fields arrived in.
struct json_value {
  enum class form : std::uint8_t { literal, object, array };
  form shape = form::literal;
  std::string literal;  // already JSON: "\"text\"", "80", "true"
  std::vector<std::pair<std::string, json_value>> members;
  std::vector<json_value> items;

  static json_value of_literal(std::string text) {
    json_value v;
    v.literal = std::move(text);
    return v;
  }

  /// The member `key`, made (with `s`) when missing.
  json_value& member(std::string_view key, form s) {
    for (auto& [k, v] : members)
      if (k == key) return v;
    members.emplace_back(std::string(key), json_value{});
    members.back().second.shape = s;
    return members.back().second;
  }

  void render(std::string& out) const {
    switch (shape) {
      case form::literal: out += literal; return;
      case form::array: {
        out += '[';
        for (std::size_t i = 0; i < items.size(); ++i) {
          if (i) out += ',';
          items[i].render(out);
        }
        out += ']';
        return;
      }
      case form::object: {
        out += '{';
        for (std::size_t i = 0; i < members.size(); ++i) {
          if (i) out += ',';
          out += text::json_quote(members[i].first);
          out += ':';
          members[i].second.render(out);
        }
        out += '}';
        return;
      }
    }
  }
};

// --------------------------------------------------------------- the reader

/// The reader of one message of `spec` into a JSON object.
class transcoder {
 public:
  transcoder(std::string_view bytes, const message_spec& spec, std::string what)
      : r_(bytes, std::move(what)), spec_(spec) {
    out_.shape = json_value::form::object;
  }

  bool run() {
    return r_.each([&](std::uint32_t number, int type) {
      const field_spec* f = spec_.find(number);
      if (!f) return false;  // not read by berth: skipped
      read_field(*f, type);
      return true;
    });
  }
  json_value take() { return std::move(out_); }
  const std::string& error() const { return r_.error(); }

 private:
  /// Where a value of `f` goes: a new array item, or the member itself.
  json_value& slot(const field_spec& f, json_value::form s) {
    if (!f.repeated) {
      auto& m = out_.member(f.json, s);
      m = json_value{};
      m.shape = s;
      return m;
    }
    auto& arr = out_.member(f.json, json_value::form::array);
    arr.items.emplace_back();
    arr.items.back().shape = s;
    return arr.items.back();
  }

  /// A singular scalar at its zero value is absent; an item of a list is not.
  void put_literal(const field_spec& f, std::string literal, bool zero) {
    if (zero && !f.repeated) return;
    slot(f, json_value::form::literal).literal = std::move(literal);
  }

  std::optional<std::uint64_t> read_varint(int type) {
    if (type != 0) {
      r_.fail(fmt::format("wire type {} where a number belongs", type));
      return std::nullopt;
    }
    return r_.varint();
  }

  void read_field(const field_spec& f, int type) {
    switch (f.type) {
      case pb::string: {
        auto v = r_.bytes(type);
        if (v) put_literal(f, text::json_quote(*v), v->empty());
        return;
      }
      case pb::int32: {
        auto v = read_varint(type);
        if (v) put_literal(f, std::to_string(static_cast<std::int32_t>(*v)), *v == 0);
        return;
      }
      case pb::int64: {
        auto v = read_varint(type);
        if (v) put_literal(f, std::to_string(static_cast<std::int64_t>(*v)), *v == 0);
        return;
      }
      case pb::boolean: {
        auto v = read_varint(type);
        if (v) put_literal(f, *v ? "true" : "false", *v == 0);
        return;
      }
      case pb::message: {
        auto v = r_.bytes(type);
        if (!v) return;
        transcoder inner(*v, *f.message, std::string(f.message->name));
        if (!inner.run()) {
          r_.fail(inner.error());
          return;
        }
        slot(f, json_value::form::object) = inner.take();
        return;
      }
      case pb::quantity: {
        auto v = r_.bytes(type);
        if (!v) return;
        auto q = quantity_text(*v);
        if (q) put_literal(f, text::json_quote(*q), q->empty());
        return;
      }
      case pb::int_or_string: {
        auto v = r_.bytes(type);
        if (v) read_int_or_string(f, *v);
        return;
      }
      case pb::string_map:
      case pb::quantity_map: {
        auto v = r_.bytes(type);
        if (v) read_map_entry(f, *v);
        return;
      }
    }
  }

  /// resource.Quantity's one field, its canonical text.
  std::optional<std::string> quantity_text(std::string_view bytes) {
    wire_reader q(bytes, "Quantity");
    std::string text;
    if (!q.each([&](std::uint32_t n, int t) { return n == 1 && wire::read_string(q, t, text); })) {
      r_.fail(q.error());
      return std::nullopt;
    }
    return text;
  }

  void read_int_or_string(const field_spec& f, std::string_view bytes) {
    wire_reader x(bytes, "IntOrString");
    std::uint64_t kind = 0, int_val = 0;
    std::string str_val;
    bool ok = x.each([&](std::uint32_t n, int t) {
      if (n == 3) return wire::read_string(x, t, str_val);
      if (n != 1 && n != 2) return false;
      if (t != 0) return x.fail(fmt::format("wire type {} where a number belongs", t));
      auto v = x.varint();
      if (v) (n == 1 ? kind : int_val) = *v;
      return true;
    });
    if (!ok) {
      r_.fail(x.error());
      return;
    }
    if (kind == 1)
      put_literal(f, text::json_quote(str_val), str_val.empty());
    else
      put_literal(f, std::to_string(static_cast<std::int32_t>(int_val)), int_val == 0);
  }

  void read_map_entry(const field_spec& f, std::string_view bytes) {
    wire_reader e(bytes, fmt::format("{} entry", f.json));
    std::string key;
    std::optional<std::string> value;
    bool ok = e.each([&](std::uint32_t n, int t) {
      if (n == 1) return wire::read_string(e, t, key);
      if (n != 2) return false;
      if (f.type == pb::string_map) {
        std::string v;
        if (wire::read_string(e, t, v)) value = std::move(v);
        return true;
      }
      auto q = e.bytes(t);
      if (!q) return true;
      wire_reader qr(*q, "Quantity");
      std::string text;
      if (!qr.each([&](std::uint32_t qn, int qt) { return qn == 1 && wire::read_string(qr, qt, text); }))
        return e.fail(qr.error());
      value = std::move(text);
      return true;
    });
    if (!ok) {
      r_.fail(e.error());
      return;
    }
    auto& map = out_.member(f.json, json_value::form::object);
    map.member(key, json_value::form::literal).literal = text::json_quote(value.value_or(""));
  }

  wire_reader r_;
  const message_spec& spec_;
  json_value out_;
};

}  // namespace

bool protobuf_json_kind(std::string_view kind) { return spec_of_kind(kind) != nullptr; }

std::optional<std::string> protobuf_object_json(const protobuf_unknown& u, std::string& error) {
  const message_spec* spec = spec_of_kind(u.kind);
  if (!spec) {
    error = fmt::format("protobuf body: kind {} is not read as protobuf (send it as JSON)", u.kind);
    return std::nullopt;
  }
  transcoder t(u.raw, *spec, std::string(spec->name));
  if (!t.run()) {
    error = t.error();
    return std::nullopt;
  }
  json_value object = t.take();
  // apiVersion and kind first, as a JSON client writes them.
  json_value out;
  out.shape = json_value::form::object;
  out.members.emplace_back("apiVersion", json_value::of_literal(text::json_quote(u.api_version)));
  out.members.emplace_back("kind", json_value::of_literal(text::json_quote(u.kind)));
  for (auto& m : object.members) out.members.push_back(std::move(m));
  std::string text;
  out.render(text);
  return text;
}

}  // namespace berth::kube
