// Decoding of pod specs: containers, their ports, env, resources and probes.
//
// Field handlers return true for a key they know; `return r.read(v, fp, x), true;`
// reads the value (the reader records any error) and claims the key.
#include "actors/manifest/decode_internal.hpp"
#include "actors/manifest/defaults.hpp"
#include "actors/manifest/volumes_internal.hpp"

namespace berth::manifest::detail {
namespace {

using model::container;

// ---- Kubernetes 1.0 container fields: env valueFrom, securityContext.

void decode_value_from(reader& r, const YAML::Node& n, const std::string& path, std::optional<model::env_var_source>& out) {
  model::env_var_source src;
  bool is_map = r.fields(
      n, path,
      [&](std::string_view key, const YAML::Node& v, const std::string& fp) {
        if (key == "fieldRef") {
          model::object_field_selector f;
          r.fields(v, fp, [&](std::string_view k, const YAML::Node& x, const std::string& p) {
            if (k == "apiVersion") return r.read(x, p, f.api_version), true;
            if (k == "fieldPath") return r.read(x, p, f.field_path), true;
            return false;
          });
          if (f.api_version.empty()) f.api_version = "v1";
          src.field_ref = std::move(f);
          return true;
        }
        if (key == "secretKeyRef") {
          model::secret_key_selector k;
          r.fields(v, fp,
                   [&](std::string_view name, const YAML::Node& x, const std::string& p) {
                     if (name == "name") return r.read(x, p, k.name), true;
                     if (name == "key") return r.read(x, p, k.key), true;
                     return false;
                   },
                   {"optional"});
          src.secret_key_ref = std::move(k);
          return true;
        }
        return false;
      },
      {"configMapKeyRef", "resourceFieldRef"});
  if (is_map) out = std::move(src);
}

void decode_env(reader& r, const YAML::Node& n, const std::string& path, std::vector<model::env_var>& out) {
  r.read_list(n, path, [&](const YAML::Node& item, const std::string& p) {
    model::env_var e;
    bool is_map = r.fields(item, p, [&](std::string_view key, const YAML::Node& v, const std::string& fp) {
      if (key == "name") return r.read(v, fp, e.name), true;
      if (key == "value") return r.read(v, fp, e.value), true;
      if (key == "valueFrom") return decode_value_from(r, v, fp, e.value_from), true;
      return false;
    });
    if (is_map) out.push_back(std::move(e));
  });
}

void decode_security_context(reader& r, const YAML::Node& n, const std::string& path,
                             std::optional<model::security_context>& out) {
  model::security_context sc;
  bool is_map = r.fields(
      n, path,
      [&](std::string_view key, const YAML::Node& v, const std::string& fp) {
        if (key == "privileged") return r.read(v, fp, sc.privileged), true;
        if (key == "runAsNonRoot") return r.read(v, fp, sc.run_as_non_root), true;
        if (key == "readOnlyRootFilesystem") return r.read(v, fp, sc.read_only_root_filesystem), true;
        if (key == "runAsUser") {
          std::int64_t uid = 0;
          r.read(v, fp, uid);
          sc.run_as_user = uid;
          return true;
        }
        if (key == "capabilities") {
          model::capabilities caps;
          r.fields(v, fp, [&](std::string_view k, const YAML::Node& x, const std::string& p) {
            if (k == "add") return r.read(x, p, caps.add), true;
            if (k == "drop") return r.read(x, p, caps.drop), true;
            return false;
          });
          sc.capabilities_ = std::move(caps);
          return true;
        }
        if (key == "seLinuxOptions") {
          model::se_linux_options se;
          r.fields(v, fp, [&](std::string_view k, const YAML::Node& x, const std::string& p) {
            if (k == "user") return r.read(x, p, se.user), true;
            if (k == "role") return r.read(x, p, se.role), true;
            if (k == "type") return r.read(x, p, se.type), true;
            if (k == "level") return r.read(x, p, se.level), true;
            return false;
          });
          sc.se_linux_options_ = std::move(se);
          return true;
        }
        return false;
      },
      {"runAsGroup", "allowPrivilegeEscalation", "procMount", "seccompProfile", "windowsOptions", "appArmorProfile"});
  if (is_map) out = std::move(sc);
}

void decode_ports(reader& r, const YAML::Node& n, const std::string& path, std::vector<model::container_port>& out) {
  r.read_list(n, path, [&](const YAML::Node& item, const std::string& p) {
    model::container_port port;
    bool is_map = r.fields(item, p, [&](std::string_view key, const YAML::Node& v, const std::string& fp) {
      if (key == "name") return r.read(v, fp, port.name), true;
      if (key == "containerPort") return r.read(v, fp, port.container_port), true;
      if (key == "hostPort") return r.read(v, fp, port.host_port), true;
      if (key == "hostIP") return r.read(v, fp, port.host_ip), true;
      if (key == "protocol") return read_protocol(r, v, fp, port.protocol_), true;
      return false;
    });
    if (is_map) out.push_back(std::move(port));
  });
}

void decode_resources(reader& r, const YAML::Node& n, const std::string& path, model::resource_requirements& out) {
  r.fields(n, path,
           [&](std::string_view key, const YAML::Node& v, const std::string& fp) {
             if (key == "requests") return r.read(v, fp, out.requests), true;
             if (key == "limits") return r.read(v, fp, out.limits), true;
             return false;
           },
           {"claims"});
}

void decode_http_headers(reader& r, const YAML::Node& n, const std::string& path,
                         std::vector<model::http_header>& out) {
  r.read_list(n, path, [&](const YAML::Node& item, const std::string& p) {
    model::http_header h;
    bool is_map = r.fields(item, p, [&](std::string_view key, const YAML::Node& v, const std::string& fp) {
      if (key == "name") return r.read(v, fp, h.name), true;
      if (key == "value") return r.read(v, fp, h.value), true;
      return false;
    });
    if (is_map) out.push_back(std::move(h));
  });
}

/// The action of a probe or a lifecycle hook: the handler fields of
/// Kubernetes' ProbeHandler / LifecycleHandler.
bool decode_handler(reader& r, std::string_view key, const YAML::Node& v, const std::string& fp,
                    model::lifecycle_handler& out) {
  if (key == "exec") {
    model::exec_action a;
    r.fields(v, fp, [&](std::string_view k, const YAML::Node& x, const std::string& p) {
      return k == "command" ? (r.read(x, p, a.command), true) : false;
    });
    out = std::move(a);
    return true;
  }
  if (key == "httpGet") {
    model::http_get_action a;
    r.fields(v, fp,
             [&](std::string_view k, const YAML::Node& x, const std::string& p) {
               if (k == "path") return r.read(x, p, a.path), true;
               if (k == "port") return r.read(x, p, a.port), true;
               if (k == "host") return r.read(x, p, a.host), true;
               if (k == "scheme") return r.read(x, p, a.scheme), true;
               if (k == "httpHeaders") return decode_http_headers(r, x, p, a.http_headers), true;
               return false;
             });
    out = std::move(a);
    return true;
  }
  if (key == "tcpSocket") {
    model::tcp_socket_action a;
    r.fields(v, fp,
             [&](std::string_view k, const YAML::Node& x, const std::string& p) {
               return k == "port" ? (r.read(x, p, a.port), true) : false;
             },
             {"host"});
    out = std::move(a);
    return true;
  }
  return false;
}

void decode_probe(reader& r, const YAML::Node& n, const std::string& path, std::optional<model::probe>& out) {
  model::probe p;
  int handlers = 0;
  bool is_map = r.fields(n, path,
                         [&](std::string_view key, const YAML::Node& v, const std::string& fp) {
                           if (decode_handler(r, key, v, fp, p.handler)) return ++handlers, true;
                           if (key == "initialDelaySeconds") return r.read(v, fp, p.initial_delay_seconds), true;
                           if (key == "timeoutSeconds") return r.read(v, fp, p.timeout_seconds), true;
                           if (key == "periodSeconds") return r.read(v, fp, p.period_seconds), true;
                           if (key == "successThreshold") return r.read(v, fp, p.success_threshold), true;
                           if (key == "failureThreshold") return r.read(v, fp, p.failure_threshold), true;
                           return false;
                         },
                         {"grpc", "terminationGracePeriodSeconds"});
  if (!is_map) return;
  // The model holds exactly one handler, so "none" and "several" are caught here.
  // Without a handler the probe stays unset: its default (exec, no command)
  // would only add a second, misleading error.
  if (handlers == 0) return r.add(required(path, "must specify a handler type"));
  if (handlers > 1) r.add(forbidden(path, "may not specify more than 1 handler type"));
  out = std::move(p);
}

void decode_lifecycle_handler(reader& r, const YAML::Node& n, const std::string& path,
                              std::optional<model::lifecycle_handler>& out) {
  model::lifecycle_handler h;
  int handlers = 0;
  bool is_map = r.fields(n, path, [&](std::string_view key, const YAML::Node& v, const std::string& fp) {
    if (decode_handler(r, key, v, fp, h)) return ++handlers, true;
    return false;
  }, {"sleep"});
  if (!is_map) return;
  // As for probes: the model holds exactly one action.
  if (handlers == 0) return r.add(required(path, "must specify a handler type"));
  if (handlers > 1) r.add(forbidden(path, "may not specify more than 1 handler type"));
  out = std::move(h);
}

void decode_lifecycle(reader& r, const YAML::Node& n, const std::string& path, std::optional<model::lifecycle>& out) {
  model::lifecycle lc;
  bool is_map = r.fields(n, path,
                         [&](std::string_view key, const YAML::Node& v, const std::string& fp) {
                           if (key == "postStart") return decode_lifecycle_handler(r, v, fp, lc.post_start), true;
                           if (key == "preStop") return decode_lifecycle_handler(r, v, fp, lc.pre_stop), true;
                           return false;
                         },
                         {"stopSignal"});
  if (is_map) out = std::move(lc);
}

bool decode_container_field(reader& r, std::string_view key, const YAML::Node& v, const std::string& fp, container& c,
                            bool& pull_policy_given) {
  if (key == "name") return r.read(v, fp, c.name), true;
  if (key == "image") return r.read(v, fp, c.image), true;
  if (key == "command") return r.read(v, fp, c.command), true;
  if (key == "args") return r.read(v, fp, c.args), true;
  if (key == "workingDir") return r.read(v, fp, c.working_dir), true;
  if (key == "env") return decode_env(r, v, fp, c.env), true;
  if (key == "ports") return decode_ports(r, v, fp, c.ports), true;
  if (key == "resources") return decode_resources(r, v, fp, c.resources), true;
  if (key == "livenessProbe") return decode_probe(r, v, fp, c.liveness_probe), true;
  if (key == "readinessProbe") return decode_probe(r, v, fp, c.readiness_probe), true;
  if (key == "volumeMounts") return decode_volume_mounts(r, v, fp, c.volume_mounts), true;
  if (key == "securityContext") return decode_security_context(r, v, fp, c.security_context_), true;
  if (key == "stdin") return r.read(v, fp, c.stdin), true;
  if (key == "stdinOnce") return r.read(v, fp, c.stdin_once), true;
  if (key == "tty") return r.read(v, fp, c.tty), true;
  if (key == "lifecycle") return decode_lifecycle(r, v, fp, c.lifecycle_), true;
  if (key == "terminationMessagePath") return r.read(v, fp, c.termination_message_path), true;
  if (key == "terminationMessagePolicy") {
    r.read_enum(v, fp, c.termination_message_policy_,
                {{"File", model::termination_message_policy::file},
                 {"FallbackToLogsOnError", model::termination_message_policy::fallback_to_logs_on_error}});
    return true;
  }
  if (key == "imagePullPolicy") {
    pull_policy_given = true;
    r.read_enum(v, fp, c.image_pull_policy,
                {{"Always", model::pull_policy::always},
                 {"IfNotPresent", model::pull_policy::if_not_present},
                 {"Never", model::pull_policy::never}});
    return true;
  }
  return false;
}

void decode_containers(reader& r, const YAML::Node& n, const std::string& path, std::vector<container>& out) {
  r.read_list(n, path, [&](const YAML::Node& item, const std::string& p) {
    container c;
    bool pull_policy_given = false;
    bool is_map = r.fields(
        item, p,
        [&](std::string_view key, const YAML::Node& v, const std::string& fp) {
          return decode_container_field(r, key, v, fp, c, pull_policy_given);
        },
        {"volumeDevices", "startupProbe", "envFrom", "resizePolicy", "restartPolicy"});
    if (!is_map) return;
    if (!pull_policy_given) c.image_pull_policy = default_pull_policy(c.image);
    out.push_back(std::move(c));
  });
}

}  // namespace

void decode_pod_spec(reader& r, const YAML::Node& n, const std::string& path, model::pod_spec& out) {
  r.fields(n, path,
           [&](std::string_view key, const YAML::Node& v, const std::string& fp) {
             if (key == "containers") return decode_containers(r, v, fp, out.containers), true;
             if (key == "nodeSelector") return r.read(v, fp, out.node_selector), true;
             if (key == "volumes") return decode_volumes(r, v, fp, out.volumes), true;
             if (key == "nodeName") return r.read(v, fp, out.node_name), true;
             if (key == "hostNetwork") return r.read(v, fp, out.host_network), true;
             if (key == "terminationGracePeriodSeconds")
               return r.read(v, fp, out.termination_grace_period_seconds), true;
             if (key == "activeDeadlineSeconds") {
               // The model's 0 means unset (Kubernetes' nil), so a 0 written
               // here must be refused now, as Kubernetes refuses it.
               std::int64_t seconds = 0;
               if (r.read(v, fp, seconds)) {
                 if (seconds < 1)
                   r.add(invalid(fp, seconds, "must be greater than or equal to 1"));
                 else
                   out.active_deadline_seconds = seconds;
               }
               return true;
             }
             if (key == "imagePullSecrets") {
               r.read_list(v, fp, [&](const YAML::Node& item, const std::string& p) {
                 model::local_object_reference ref;
                 if (r.fields(item, p, [&](std::string_view k, const YAML::Node& x, const std::string& xp) {
                       if (k == "name") return r.read(x, xp, ref.name), true;
                       return false;
                     }))
                   out.image_pull_secrets.push_back(std::move(ref));
               });
               return true;
             }
             if (key == "restartPolicy") {
               r.read_enum(v, fp, out.restart_policy_,
                           {{"Always", model::restart_policy::always},
                            {"OnFailure", model::restart_policy::on_failure},
                            {"Never", model::restart_policy::never}});
               return true;
             }
             return false;
           },
           {"initContainers",
            "ephemeralContainers",
            "securityContext",
            "serviceAccountName",
            "serviceAccount",
            "automountServiceAccountToken",
            "affinity",
            "tolerations",
            "dnsPolicy",
            "dnsConfig",
            "hostPID",
            "hostIPC",
            "hostname",
            "subdomain",
            "schedulerName",
            "priorityClassName",
            "priority",
            "readinessGates",
            "runtimeClassName",
            "enableServiceLinks",
            "preemptionPolicy",
            "overhead",
            "topologySpreadConstraints",
            "shareProcessNamespace",
            "hostAliases",
            "setHostnameAsFQDN",
            "os",
            "hostUsers",
            "schedulingGates",
            "resourceClaims"});
}

}  // namespace berth::manifest::detail
