// -f FILE|DIR|-: which files a directory contributes, in which order, and how
// read and decode errors are reported.
#include <doctest/doctest.h>

#include <sstream>

#include "cli/manifest_input.hpp"
#include "tests/cli/temp_files.hpp"

using namespace berth;
using namespace berth::cli;

namespace {

std::string service(const std::string& name) {
  return "apiVersion: v1\nkind: Service\nmetadata: {name: " + name + "}\nspec:\n  ports: [{port: 80}]\n";
}

std::vector<std::string> names(const loaded_manifests& m) {
  std::vector<std::string> out;
  for (const auto& o : m.objects) out.push_back(actors::meta_of(o).name);
  return out;
}

}  // namespace

TEST_CASE("a directory contributes its .yaml, .yml and .json files, sorted by name") {
  CHECK(manifest_files({"z.yml", "notes.txt", "a.json", "m.yaml", "yaml", "b.yaml.bak"}) ==
        std::vector<std::string>{"a.json", "m.yaml", "z.yml"});
}

TEST_CASE("files, directories and stdin load in the order given; stdin is read once") {
  testing::temp_dir dir("berth-cli-input");
  dir.write("b.yaml", service("b"));
  dir.write("a.yml", service("a"));
  std::filesystem::create_directories(dir.path() + "/sub");
  dir.write("sub/c.yaml", service("c"));  // not recursive
  std::istringstream in(service("s"));
  auto loaded = load_manifests({"-", dir.path(), "-"}, in);
  CHECK(loaded.errors.empty());
  CHECK(names(loaded) == std::vector<std::string>{"s", "a", "b"});
}

TEST_CASE("read and decode errors name the file and document; other files still load") {
  testing::temp_dir dir("berth-cli-input");
  auto bad = dir.write(
      "bad.yaml",
      service("ok") + "---\napiVersion: v1\nkind: Service\nmetadata: {name: x}\nspec:\n  ports: [{port: 0}]\n");
  std::istringstream in("");
  auto loaded = load_manifests({dir.path() + "/missing.yaml", bad, dir.path() + "/sub"}, in);
  CHECK(names(loaded) == std::vector<std::string>{"ok"});
  REQUIRE(loaded.errors.size() == 3);
  CHECK(loaded.errors[0] == "cannot read " + dir.path() + "/missing.yaml: No such file or directory");
  CHECK(loaded.errors[1].rfind(bad + " document 2: spec.ports[0].port: ", 0) == 0);
  CHECK(loaded.errors[2] == "cannot read " + dir.path() + "/sub: No such file or directory");
}

TEST_CASE("an empty directory is an error") {
  testing::temp_dir dir("berth-cli-input");
  std::istringstream in("");
  auto loaded = load_manifests({dir.path()}, in);
  CHECK(loaded.objects.empty());
  CHECK(loaded.errors == std::vector<std::string>{dir.path() + ": no .yaml, .yml or .json files in it"});
}
