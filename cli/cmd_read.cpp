// get (with -w) and describe: the commands that read the cluster.
#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <chrono>

#include "cli/client.hpp"
#include "cli/commands.hpp"
#include "cli/describe.hpp"
#include "cli/format.hpp"
#include "cli/outcome_report.hpp"
#include "cli/output.hpp"
#include "cli/tables.hpp"

namespace berth::cli {
namespace {

model::time_ns now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

/// The objects a get or describe is about: by name (each fetched; failures
/// reported) or listed with the selectors. `resource_version` is the list's.
struct fetched {
  std::vector<actors::any_object> objects;
  std::uint64_t resource_version = 0;
  int exit = k_exit_ok;
};

fetched fetch(const command_line& c, client& api, streams io) {
  fetched f;
  std::string ns = c.all_namespaces ? "" : namespace_of(c.namespace_);
  if (!c.names.empty()) {
    for (const auto& name : c.names) {
      auto got = api.get({*c.kind, ns, name});
      if (got.result == actors::outcome::code::ok && got.object) {
        f.resource_version = std::max(f.resource_version, actors::meta_of(*got.object).resource_version);
        f.objects.push_back(std::move(*got.object));
      } else {
        f.exit = std::max(f.exit, report_failure(got, *c.kind, name, io.err));
      }
    }
    return f;
  }
  auto listed = api.list(*c.kind, ns, c.label_selector, c.field_selector);
  if (!listed.error.empty()) {
    fmt::print(io.err, "error: {}\n", listed.error);
    f.exit = k_exit_user;
  }
  f.objects = std::move(listed.items);
  f.resource_version = listed.resource_version;
  return f;
}

/// The pods an RC's selector matches (an empty selector matches none here).
std::vector<model::pod> pods_of(client& api, const model::replication_controller& rc) {
  std::vector<model::pod> pods;
  if (rc.spec.selector.empty()) return pods;
  for (auto& o : api.list(actors::kind::pod, rc.metadata.namespace_, labels_text(rc.spec.selector)).items) {
    pods.push_back(std::get<model::pod>(std::move(o)));
  }
  return pods;
}

/// CURRENT/READY for an RC without status: counted from its pods (one list call per such RC).
std::optional<rc_counts> counts_for(client& api, const actors::any_object& o) {
  const auto* rc = std::get_if<model::replication_controller>(&o);
  if (rc == nullptr || rc_counts_from_status(*rc)) return std::nullopt;
  return rc_counts_from_pods(*rc, pods_of(api, *rc));
}

cell_lines table_of(const command_line& c, client& api, const std::vector<actors::any_object>& objects,
                    const table_options& options) {
  cell_lines lines;
  if (!c.no_headers) lines.push_back(object_header(*c.kind, options));
  for (const auto& o : objects) lines.push_back(object_row(o, options, counts_for(api, o)));
  return lines;
}

void print_empty(const command_line& c, streams io) {
  if (c.all_namespaces || model::is_cluster_scoped(*c.kind)) {
    fmt::print(io.err, "No resources found\n");
  } else {
    fmt::print(io.err, "No resources found in {} namespace.\n", namespace_of(c.namespace_));
  }
}

/// One object as a watch line (or document) in the chosen format.
std::string watch_text(const actors::any_object& o, output_format format, const table_options& options,
                       const std::vector<std::size_t>& widths) {
  switch (format) {
    case output_format::name: return object_name(o) + "\n";
    case output_format::json: return object_json(o);
    case output_format::yaml: return "---\n" + object_yaml(o);
    default: return table_row(object_row(o, options), widths);
  }
}

int watch(const command_line& c, client& api, streams io, const fetched& f, const table_options& options,
          std::vector<std::size_t> widths) {
  std::string fields = c.field_selector;
  if (!c.names.empty()) fields = (fields.empty() ? "" : fields + ",") + "metadata.name=" + c.names[0];
  std::string ns = c.all_namespaces ? "" : namespace_of(c.namespace_);
  auto why = api.watch(*c.kind, ns, c.label_selector, fields, f.resource_version, [&](const actors::watch_event& e) {
    table_options now = options;
    now.now = now_ns();
    io.out << watch_text(e.object, c.output, now, widths);
    io.out.flush();
    return true;
  });
  if (why.empty()) return k_exit_ok;
  fmt::print(io.err, "error: the watch ended: {}\n", why);
  return k_exit_server;
}

}  // namespace

namespace detail {

int run_get(const command_line& c, client& api, streams io) {
  auto f = fetch(c, api, io);
  // Nothing to show (a bad selector, or no name found): the errors are printed.
  if (f.exit != k_exit_ok && (c.names.empty() || f.objects.empty())) return f.exit;
  table_options options{c.output == output_format::wide, c.all_namespaces, now_ns(), c.show_labels};
  std::vector<std::size_t> widths;
  bool single = c.names.size() == 1;
  switch (c.output) {
    case output_format::name: io.out << names_text(f.objects); break;
    case output_format::json:
    case output_format::yaml:
      if (c.watch) {
        for (const auto& o : f.objects) io.out << watch_text(o, c.output, options, widths);
      } else if (c.output == output_format::json) {
        io.out << (single ? object_json(f.objects.at(0)) : list_json(f.objects));
      } else {
        io.out << (single ? object_yaml(f.objects.at(0)) : list_yaml(f.objects));
      }
      break;
    case output_format::table:
    case output_format::wide: {
      if (f.objects.empty() && !c.watch) {
        print_empty(c, io);
        break;
      }
      auto lines = table_of(c, api, f.objects, options);
      widths = table_widths(lines);
      io.out << table_layout(lines);
      break;
    }
  }
  io.out.flush();
  if (c.watch) return std::max(f.exit, watch(c, api, io, f, options, widths));
  return f.exit;
}

int run_describe(const command_line& c, client& api, streams io) {
  auto f = fetch(c, api, io);
  if (f.objects.empty() && f.exit == k_exit_ok) print_empty(c, io);
  bool first = true;
  for (const auto& o : f.objects) {
    const auto& m = actors::meta_of(o);
    actors::object_key key{actors::kind_of(o), m.namespace_, m.name};
    describe_inputs in;
    in.now = now_ns();
    in.events = api.object_events(key, 20);
    if (const auto* rc = std::get_if<model::replication_controller>(&o)) in.pods = pods_of(api, *rc);
    if (key.kind == actors::kind::node) {
      for (auto& p : api.list(actors::kind::pod, "", "", "spec.nodeName=" + m.name).items) {
        in.pods.push_back(std::get<model::pod>(std::move(p)));
      }
    }
    if (key.kind == actors::kind::persistent_volume_claim) {  // Mounted By: the pods of its namespace naming it
      for (auto& p : api.list(actors::kind::pod, m.namespace_, "", "").items) {
        auto& pod = std::get<model::pod>(p);
        for (const auto& v : pod.spec.volumes)
          if (const auto* c = std::get_if<model::persistent_volume_claim_volume>(&v.source); c && c->claim_name == m.name) {
            in.pods.push_back(std::move(pod));
            break;
          }
      }
    }
    if (key.kind == actors::kind::service) {
      auto e = api.get({actors::kind::endpoints, m.namespace_, m.name});
      if (e.result == actors::outcome::code::ok && e.object) in.endpoints = std::get<model::endpoints>(*e.object);
    }
    io.out << (first ? "" : "\n\n") << describe_object(o, in);
    first = false;
  }
  return f.exit;
}

}  // namespace detail
}  // namespace berth::cli
