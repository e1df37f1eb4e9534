// Secrets in manifests: data base64, stringData merged into data (winning)
// and not kept apart, Kubernetes' key and size rules, and rendering that
// never shows sealed data's plaintext.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <string>
#include <vector>

#include "actors/manifest/base64.hpp"
#include "actors/manifest/render.hpp"
#include "actors/manifest/validate.hpp"
#include "tests/manifest/test_util.hpp"

using namespace berth;
using berth::manifest::test::errors_of;

namespace {

bool any_contains(const std::vector<std::string>& errors, const std::string& needle) {
  for (const auto& e : errors)
    if (e.find(needle) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("base64: round trips every length; padding and alphabet are checked") {
  std::string bytes;
  for (int i = 0; i < 300; ++i) {
    auto text = manifest::base64_encode(bytes);
    CHECK(text.size() % 4 == 0);
    auto back = manifest::base64_decode(text);
    REQUIRE(back);
    CHECK(*back == bytes);
    bytes += static_cast<char>(i * 37);
  }
  CHECK(manifest::base64_encode("b") == "Yg==");
  CHECK(manifest::base64_encode("value-1\r\n") == "dmFsdWUtMQ0K");
  std::size_t bad = 0;
  CHECK_FALSE(manifest::base64_decode("TOKEN", &bad));
  CHECK(bad == 4);
  CHECK_FALSE(manifest::base64_decode("ab!d", &bad));
  CHECK(bad == 2);
  CHECK_FALSE(manifest::base64_decode("a=bc", &bad));
  CHECK_FALSE(manifest::base64_decode("Yg=a"));
}

TEST_CASE("a Secret manifest: data decoded from base64, stringData merged and winning, type defaulted") {
  auto r = manifest::decode_manifests(R"(apiVersion: v1
kind: Secret
metadata:
  name: s1
data:
  a: Yg==
  b: b2xk
stringData:
  b: new
  c: plain text
)",
                                      "test.yaml");
  REQUIRE_MESSAGE(r.ok(), r.error_strings().front());
  REQUIRE(r.objects.size() == 1);
  const auto& x = std::get<model::secret>(r.objects[0].object);
  CHECK(x.metadata.name == "s1");
  CHECK(x.type == "Opaque");
  CHECK(x.data == std::map<std::string, std::string>{{"a", "b"}, {"b", "new"}, {"c", "plain text"}});
  CHECK(x.sealed.empty());

  auto yaml = manifest::to_yaml(x);
  CHECK(yaml.find("kind: Secret") != std::string::npos);
  CHECK(yaml.find("a: Yg==") != std::string::npos);
  CHECK(yaml.find("stringData") == std::string::npos);
  CHECK(yaml.find("type: Opaque") != std::string::npos);
}

TEST_CASE("a Secret manifest's mistakes name their field") {
  auto bad_key = errors_of("apiVersion: v1\nkind: Secret\nmetadata:\n  name: s1\nstringData:\n  bad key: x\n");
  CHECK_MESSAGE(any_contains(bad_key, "data[bad key]: Invalid value: \"bad key\": must have at most 253 characters "
                                      "and match regex [-._a-zA-Z0-9]+"),
                bad_key.front());
  // Keys are file names in a secret volume.
  for (const char* key : {".", ".."}) {
    auto dots = errors_of(std::string("apiVersion: v1\nkind: Secret\nmetadata:\n  name: s1\nstringData:\n  \"") +
                          key + "\": x\n");
    CHECK_MESSAGE(any_contains(dots, fmt::format("data[{0}]: Invalid value: \"{0}\": must not be '{0}'", key)),
                  dots.front());
  }
  auto dotdot = errors_of("apiVersion: v1\nkind: Secret\nmetadata:\n  name: s1\nstringData:\n  ..data: x\n");
  CHECK_MESSAGE(any_contains(dotdot, "data[..data]: Invalid value: \"..data\": must not start with '..'"),
                dotdot.front());
  CHECK(errors_of("apiVersion: v1\nkind: Secret\nmetadata:\n  name: s1\nstringData:\n  .hidden: x\n").empty());
  auto bad_base64 = errors_of("apiVersion: v1\nkind: Secret\nmetadata:\n  name: s1\ndata:\n  token: TOKEN\n");
  CHECK_MESSAGE(any_contains(bad_base64, "data[token]: Invalid value: \"<secret contents redacted>\": illegal base64 "
                                         "data at input byte 4"),
                bad_base64.front());
  CHECK_FALSE(any_contains(bad_base64, "TOKEN"));
  auto unknown = errors_of("apiVersion: v1\nkind: Secret\nmetadata:\n  name: s1\nspec: {}\n");
  CHECK(any_contains(unknown, "spec"));
}

TEST_CASE("validate(secret): 1 MiB of data in all, no more") {
  model::secret x;
  x.metadata.name = "s1";
  x.data = {{"a", std::string(manifest::k_max_secret_size, 'x')}};
  CHECK(manifest::validate(x).empty());
  x.data["b"] = "y";
  auto errors = manifest::validate(x);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].field == "data");
  CHECK(errors[0].message.find("Too long") == 0);
}

TEST_CASE("a sealed secret renders as its size, never its bytes") {
  model::secret x;
  x.metadata.name = "s1";
  x.sealed = {"abcd1234", std::string(12, 'n'), "CIPHERTEXT-BYTES" + std::string(16, 't')};
  auto json = manifest::to_json(x);
  CHECK(json.find("<encrypted, 16 bytes>") != std::string::npos);
  CHECK(json.find("CIPHERTEXT") == std::string::npos);
  CHECK(json.find("abcd1234") == std::string::npos);
}
