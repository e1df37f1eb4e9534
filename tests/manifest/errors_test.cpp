// Bad manifests and the exact errors they produce (Kubernetes' wording).
#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "tests/manifest/test_util.hpp"

using berth::manifest::decode_manifests;
using berth::manifest::test::errors_of;
using strings = std::vector<std::string>;

namespace {

/// A valid pod whose single container gets `extra` (indented as container fields).
std::string pod(const std::string& container_extra, const std::string& spec_extra = "",
                const std::string& metadata = "  name: web\n") {
  return "apiVersion: v1\nkind: Pod\nmetadata:\n" + metadata + "spec:\n" + spec_extra +
         "  containers:\n  - name: app\n    image: nginx:1.25\n" + container_extra;
}

/// A valid service with the given `spec:` body.
std::string service(const std::string& spec, const std::string& name = "web") {
  return "apiVersion: v1\nkind: Service\nmetadata:\n  name: " + name + "\nspec:\n" + spec;
}

const std::string k_rc_head = "apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: web\nspec:\n";
const std::string k_template_spec = "    spec:\n      containers:\n      - name: app\n        image: nginx:1.25\n";

const std::string k_dns1123_label_msg =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end "
    "with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const std::string k_dns1123_subdomain_msg =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start "
    "and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const std::string k_dns1035_msg =
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic "
    "character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation "
    "is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const std::string k_label_value_msg =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start "
    "and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for "
    "validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const std::string k_label_key_name_msg =
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
    "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const std::string k_port_range = "must be between 1 and 65535, inclusive";

struct bad_case {
  std::string name;
  std::string text;
  strings errors;
};

std::string d1(const std::string& e) { return "test.yaml document 1: " + e; }

}  // namespace

TEST_CASE("bad manifests: document structure, kinds and types") {
  const std::vector<bad_case> cases = {
      {"unknown field is reported, not dropped",
       pod("    imagee: nginx\n"),
       {d1("spec.containers[0].imagee: Unknown field")}},
      {"unknown top-level field", pod("") + "extra: 1\n", {d1("extra: Unknown field")}},
      {"unsupported kind (and its apiVersion)",
       "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n",
       {d1("apiVersion: Unsupported value: \"apps/v1\": supported values: \"v1\""),
        d1("kind: Unsupported value: \"Deployment\": supported values: \"Pod\", \"ReplicationController\", "
           "\"Service\", \"Namespace\", \"Secret\", \"LimitRange\", \"ResourceQuota\", \"Endpoints\", "
           "\"PersistentVolume\", \"PersistentVolumeClaim\", \"PodTemplate\"")}},
      {"wrong apiVersion",
       "apiVersion: apps/v1\nkind: Pod\nmetadata:\n  name: x\n",
       {d1("apiVersion: Unsupported value: \"apps/v1\": supported values: \"v1\"")}},
      {"a pre-v1 apiVersion says v1 is what is served",
       "apiVersion: v1beta3\nkind: Pod\nmetadata:\n  name: x\n",
       {d1("apiVersion: Invalid value: \"v1beta3\": v1beta3 is not served, use v1 (berth serves only the v1 API)")}},
      {"the pre-v1 top-level id must say what metadata.name says",
       pod("") + "id: other\n",
       {d1("id: Invalid value: \"other\": must equal metadata.name \"web\" (id is the pre-v1 name field, which v1 "
           "ignores)")}},
      {"missing apiVersion and kind",
       "metadata:\n  name: x\n",
       {d1("apiVersion: Required value"), d1("kind: Required value")}},
      {"document that is not a map", "just text\n", {d1("Invalid value: \"just text\": must be a map")}},
      {"replicas not an integer",
       k_rc_head + "  replicas: three\n  template:\n    metadata:\n      labels:\n        app: web\n" + k_template_spec,
       {d1("spec.replicas: Invalid value: \"three\": must be an integer")}},
      {"quoted number is a string, as in Kubernetes",
       k_rc_head + "  replicas: \"3\"\n  template:\n    metadata:\n      labels:\n        app: web\n" + k_template_spec,
       {d1("spec.replicas: Invalid value: \"3\": must be an integer")}},
      {"replicas beyond 32 bits",
       k_rc_head + "  replicas: 3000000000\n  template:\n    metadata:\n      labels:\n        app: web\n" +
           k_template_spec,
       {d1("spec.replicas: Invalid value: 3000000000: must be a 32-bit integer")}},
      {"labels as a list",
       pod("", "", "  name: web\n  labels:\n  - app\n"),
       {d1("metadata.labels: Invalid value: must be a map")}},
      {"label value that is a number",
       pod("", "", "  name: web\n  labels:\n    version: 2\n"),
       {d1("metadata.labels[version]: Invalid value: 2: must be a string")}},
      {"env value that is a number",
       pod("    env:\n    - name: A\n      value: 5\n"),
       {d1("spec.containers[0].env[0].value: Invalid value: 5: must be a string")}},
      {"hostNetwork not a boolean",
       pod("", "  hostNetwork: yes\n"),
       {d1("spec.hostNetwork: Invalid value: \"yes\": must be a boolean")}},
      {"command as a string instead of a list",
       pod("    command: echo hi\n"),
       {d1("spec.containers[0].command: Invalid value: \"echo hi\": must be a list")}},
      {"key given twice", pod("", "", "  name: web\n  name: other\n"), {d1("metadata: Duplicate value: \"name\"")}},
      {"bad creationTimestamp",
       pod("", "", "  name: web\n  creationTimestamp: yesterday\n"),
       {d1("metadata.creationTimestamp: Invalid value: \"yesterday\": must be an RFC 3339 timestamp (e.g. "
           "'2026-11-26T10:15:00Z')")}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CHECK(errors_of(c.text) == c.errors);
  }
}

TEST_CASE("bad manifests: fields berth does not support yet are Forbidden, never dropped") {
  const std::vector<bad_case> cases = {
      {"volume types berth does not store (volumes_test.cpp has the supported ones)",
       pod("", "  volumes:\n  - name: data\n    configMap:\n      name: c\n"),
       {d1("spec.volumes[0].configMap: Forbidden: not supported by berth yet")}},
      {"securityContext runAsGroup (not in Kubernetes 1.0)",
       pod("    securityContext:\n      runAsGroup: 5\n"),
       {d1("spec.containers[0].securityContext.runAsGroup: Forbidden: not supported by berth yet")}},
      {"env valueFrom configMapKeyRef (not in Kubernetes 1.0)",
       pod("    env:\n    - name: A\n      valueFrom:\n        configMapKeyRef:\n          name: c\n          key: k\n"),
       {d1("spec.containers[0].env[0].valueFrom.configMapKeyRef: Forbidden: not supported by berth yet"),
        d1("spec.containers[0].env[0].valueFrom: Invalid value: \"\": must specify one of: `fieldRef` or "
           "`secretKeyRef`")}},
      {"service externalIPs",
       service("  ports:\n  - port: 80\n  externalIPs:\n  - 1.2.3.4\n"),
       {d1("spec.externalIPs: Forbidden: not supported by berth yet")}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CHECK(errors_of(c.text) == c.errors);
  }
}

TEST_CASE("bad manifests: pods and containers") {
  const std::vector<bad_case> cases = {
      {"no containers",
       "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers: []\n",
       {d1("spec.containers: Required value")}},
      {"no name at all",
       pod("", "", "  labels:\n    app: web\n"),
       {d1("metadata.name: Required value: name or generateName is required")}},
      {"pod name not a DNS subdomain",
       pod("", "", "  name: My_Pod\n"),
       {d1("metadata.name: Invalid value: \"My_Pod\": " + k_dns1123_subdomain_msg)}},
      {"namespace not a DNS label",
       pod("", "", "  name: web\n  namespace: team.a\n"),
       {d1("metadata.namespace: Invalid value: \"team.a\": must not contain dots")}},
      {"bad label key and value",
       pod("", "", "  name: web\n  labels:\n    -app: a b\n"),
       {d1("metadata.labels: Invalid value: \"-app\": " + k_label_key_name_msg),
        d1("metadata.labels: Invalid value: \"a b\": " + k_label_value_msg)}},
      {"container without a name or image",
       "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - command: [sh]\n",
       {d1("spec.containers[0].name: Required value"), d1("spec.containers[0].image: Required value")}},
      {"container name not a DNS label",
       pod("  - name: Web_1\n    image: nginx\n"),
       {d1("spec.containers[1].name: Invalid value: \"Web_1\": " + k_dns1123_label_msg)}},
      {"duplicate container names",
       pod("  - name: app\n    image: redis\n"),
       {d1("spec.containers[1].name: Duplicate value: \"app\"")}},
      {"container port out of range",
       pod("    ports:\n    - containerPort: 70000\n"),
       {d1("spec.containers[0].ports[0].containerPort: Invalid value: 70000: " + k_port_range)}},
      {"container port missing",
       pod("    ports:\n    - name: http\n"),
       {d1("spec.containers[0].ports[0].containerPort: Required value")}},
      {"port name breaks IANA_SVC_NAME",
       pod("    ports:\n    - containerPort: 80\n      name: HTTP--port-too-long\n"),
       {d1("spec.containers[0].ports[0].name: Invalid value: \"HTTP--port-too-long\": must be no more than 15 "
           "characters"),
        d1("spec.containers[0].ports[0].name: Invalid value: \"HTTP--port-too-long\": must contain only alpha-numeric "
           "characters (a-z, 0-9), and hyphens (-)"),
        d1("spec.containers[0].ports[0].name: Invalid value: \"HTTP--port-too-long\": must not contain consecutive "
           "hyphens")}},
      {"host port out of range",
       pod("    ports:\n    - containerPort: 80\n      hostPort: 65536\n"),
       {d1("spec.containers[0].ports[0].hostPort: Invalid value: 65536: " + k_port_range)}},
      {"host port differs from container port with hostNetwork",
       pod("    ports:\n    - containerPort: 80\n      hostPort: 81\n", "  hostNetwork: true\n"),
       {d1("spec.containers[0].ports[0].hostPort: Invalid value: 81: must match `containerPort` when `hostNetwork` is "
           "true")}},
      {"protocol SCTP",
       pod("    ports:\n    - containerPort: 80\n      protocol: SCTP\n"),
       {d1("spec.containers[0].ports[0].protocol: Unsupported value: \"SCTP\": supported values: \"TCP\", \"UDP\"")}},
      {"cpu request above its limit",
       pod("    resources:\n      requests:\n        cpu: 2\n      limits:\n        cpu: 1\n"),
       {d1("spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit")}},
      {"negative memory request",
       pod("    resources:\n      requests:\n        memory: -1Mi\n"),
       {d1("spec.containers[0].resources.requests[memory]: Invalid value: \"-1Mi\": must be greater than or equal to "
           "0")}},
      {"quantity that does not parse",
       pod("    resources:\n      limits:\n        cpu: abc\n"),
       {d1("spec.containers[0].resources.limits[cpu]: Invalid value: \"abc\": quantities must match the regular "
           "expression "
           "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")}},
      {"unknown resource name",
       pod("    resources:\n      limits:\n        gpu: 1\n"),
       {d1("spec.containers[0].resources.limits[gpu]: Invalid value: \"gpu\": must be a standard resource for "
           "containers")}},
      {"imagePullPolicy misspelled",
       pod("    imagePullPolicy: Sometimes\n"),
       {d1("spec.containers[0].imagePullPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", "
           "\"IfNotPresent\", \"Never\"")}},
      {"restartPolicy unknown",
       pod("", "  restartPolicy: Sometimes\n"),
       {d1("spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", "
           "\"Never\"")}},
      {"env name missing and invalid",
       pod("    env:\n    - value: x\n    - name: 1A\n"),
       {d1("spec.containers[0].env[0].name: Required value"),
        d1("spec.containers[0].env[1].name: Invalid value: \"1A\": a valid environment variable name must consist of "
           "alphabetic "
           "characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or "
           "'MY_ENV.NAME',  or "
           "'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')")}},
      {"negative termination grace period",
       pod("", "  terminationGracePeriodSeconds: -5\n"),
       {d1("spec.terminationGracePeriodSeconds: Invalid value: -5: must be greater than or equal to 0")}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CHECK(errors_of(c.text) == c.errors);
  }
}

TEST_CASE("bad manifests: probes") {
  const std::vector<bad_case> cases = {
      {"probe without a handler",
       pod("    livenessProbe:\n      periodSeconds: 5\n"),
       {d1("spec.containers[0].livenessProbe: Required value: must specify a handler type")}},
      {"probe with two handlers",
       pod("    readinessProbe:\n      exec:\n        command: [true]\n      tcpSocket:\n        port: 80\n"),
       {d1("spec.containers[0].readinessProbe.exec.command[0]: Invalid value: true: must be a string"),
        d1("spec.containers[0].readinessProbe: Forbidden: may not specify more than 1 handler type")}},
      {"liveness success threshold must be 1",
       pod("    livenessProbe:\n      tcpSocket:\n        port: 80\n      successThreshold: 2\n"),
       {d1("spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1")}},
      {"httpGet scheme and port",
       pod("    readinessProbe:\n      httpGet:\n        port: 0\n        scheme: FTP\n"),
       {d1("spec.containers[0].readinessProbe.httpGet.port: Invalid value: 0: " + k_port_range),
        d1("spec.containers[0].readinessProbe.httpGet.scheme: Unsupported value: \"FTP\": supported values: \"HTTP\", "
           "\"HTTPS\"")}},
      {"exec without command and negative delay",
       pod("    readinessProbe:\n      exec: {}\n      initialDelaySeconds: -1\n"),
       {d1("spec.containers[0].readinessProbe.initialDelaySeconds: Invalid value: -1: must be greater than or equal to "
           "0"),
        d1("spec.containers[0].readinessProbe.exec.command: Required value")}},
      {"tcpSocket with a bad port name",
       pod("    livenessProbe:\n      tcpSocket:\n        port: \"8080\"\n"),
       {d1("spec.containers[0].livenessProbe.tcpSocket.port: Invalid value: \"8080\": must contain at least one letter "
           "(a-z)")}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CHECK(errors_of(c.text) == c.errors);
  }
}

TEST_CASE("bad manifests: replication controllers") {
  const std::string labelled = "  template:\n    metadata:\n      labels:\n        app: web\n" + k_template_spec;
  const std::vector<bad_case> cases = {
      {"no selector and no template labels",
       k_rc_head + "  template:\n" + k_template_spec,
       {d1("spec.selector: Required value")}},
      {"selector does not match template labels",
       k_rc_head + "  selector:\n    app: api\n" + labelled,
       {d1("spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: selector does not match "
           "template labels")}},
      {"negative replicas",
       k_rc_head + "  replicas: -1\n" + labelled,
       {d1("spec.replicas: Invalid value: -1: must be greater than or equal to 0")}},
      {"template restartPolicy Never",
       k_rc_head + labelled + "      restartPolicy: Never\n",
       {d1("spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"")}},
      {"template container errors carry the template path",
       k_rc_head + "  template:\n    metadata:\n      labels:\n        app: web\n"
                   "    spec:\n      containers:\n      - name: app\n",
       {d1("spec.template.spec.containers[0].image: Required value")}},
      {"no template at all",
       k_rc_head + "  replicas: 1\n",
       {d1("spec.selector: Required value"), d1("spec.template.spec.containers: Required value")}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CHECK(errors_of(c.text) == c.errors);
  }
}

TEST_CASE("bad manifests: services") {
  const std::vector<bad_case> cases = {
      {"no ports", service("  selector:\n    app: web\n"), {d1("spec.ports: Required value")}},
      {"service name not a DNS-1035 label",
       service("  ports:\n  - port: 80\n", "1web"),
       {d1("metadata.name: Invalid value: \"1web\": " + k_dns1035_msg)}},
      {"port 0 and targetPort out of range",
       service("  ports:\n  - port: 0\n    targetPort: 70000\n"),
       {d1("spec.ports[0].port: Invalid value: 0: " + k_port_range),
        d1("spec.ports[0].targetPort: Invalid value: 70000: " + k_port_range)}},
      {"several ports need names, unique ones",
       service("  ports:\n  - port: 80\n  - port: 81\n    name: b\n  - port: 82\n    name: b\n"),
       {d1("spec.ports[0].name: Required value"), d1("spec.ports[2].name: Duplicate value: \"b\"")}},
      {"named targetPort must be an IANA_SVC_NAME",
       service("  ports:\n  - port: 80\n    targetPort: http_port\n"),
       {d1("spec.ports[0].targetPort: Invalid value: \"http_port\": must contain only alpha-numeric characters (a-z, "
           "0-9), and hyphens (-)")}},
      {"nodePort with type ClusterIP",
       service("  ports:\n  - port: 80\n    nodePort: 30080\n"),
       {d1("spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'")}},
      {"nodePort outside the range",
       service("  type: NodePort\n  ports:\n  - port: 80\n    nodePort: 80\n"),
       {d1("spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid "
           "ports is 30000-32767")}},
      {"clusterIP that is not an address",
       service("  ports:\n  - port: 80\n  clusterIP: 10.0.0.256\n"),
       {d1("spec.clusterIP: Invalid value: \"10.0.0.256\": must be empty, 'None', or a valid IP address")}},
      {"headless NodePort service",
       service("  type: NodePort\n  clusterIP: None\n  ports:\n  - port: 80\n"),
       {d1("spec.clusterIP: Invalid value: \"None\": may not be set to 'None' for NodePort services")}},
      {"type ExternalName",
       service("  type: ExternalName\n  ports:\n  - port: 80\n"),
       {d1("spec.type: Unsupported value: \"ExternalName\": supported values: \"ClusterIP\", \"NodePort\", "
           "\"LoadBalancer\"")}},
      {"sessionAffinity unknown",
       service("  sessionAffinity: Sticky\n  ports:\n  - port: 80\n"),
       {d1("spec.sessionAffinity: Unsupported value: \"Sticky\": supported values: \"None\", \"ClientIP\"")}},
      {"selector value invalid",
       service("  ports:\n  - port: 80\n  selector:\n    app: -web\n"),
       {d1("spec.selector: Invalid value: \"-web\": " + k_label_value_msg)}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CHECK(errors_of(c.text) == c.errors);
  }
}

TEST_CASE("multiple errors in one document are all reported together, in field order") {
  std::string text =
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: Web\nspec:\n  restartPolicy: Sometimes\n  containers:\n"
      "  - name: app\n    imagee: nginx\n    ports:\n    - containerPort: 0\n";
  CHECK(errors_of(text) == strings{
                               d1("spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", "
                                  "\"OnFailure\", \"Never\""),
                               d1("spec.containers[0].imagee: Unknown field"),
                               d1("metadata.name: Invalid value: \"Web\": " + k_dns1123_subdomain_msg),
                               d1("spec.containers[0].image: Required value"),
                               d1("spec.containers[0].ports[0].containerPort: Required value"),
                           });
}

TEST_CASE("errors in several documents name their documents; the valid ones still decode") {
  std::string text = pod("") + "---\n" + service("  ports: []\n") + "---\n# only a comment\n---\n" + k_rc_head +
                     "  template:\n" + k_template_spec;
  auto r = decode_manifests(text, "guestbook.yaml");
  CHECK(r.error_strings() == strings{"guestbook.yaml document 2: spec.ports: Required value",
                                     "guestbook.yaml document 4: spec.selector: Required value"});
  REQUIRE(r.objects.size() == 1);
  CHECK(r.objects[0].document == 1);
  CHECK(r.errors[0].document == 2);
  CHECK(r.errors[0].error == berth::manifest::field_error{"spec.ports", "Required value"});
}

TEST_CASE("a List reports item errors under items[i] and keeps the good items") {
  std::string text =
      "apiVersion: v1\nkind: List\nitems:\n"
      "- apiVersion: v1\n  kind: Service\n  metadata:\n    name: a\n  spec:\n    ports:\n    - port: 80\n"
      "- apiVersion: v1\n  kind: Service\n  metadata:\n    name: b\n  spec:\n    ports:\n    - port: 99999\n"
      "- apiVersion: v1\n  kind: List\n  items: []\n";
  auto r = decode_manifests(text, "list.yaml");
  CHECK(r.error_strings() ==
        strings{"list.yaml document 1: items[1].spec.ports[0].port: Invalid value: 99999: " + k_port_range,
                "list.yaml document 1: items[2].kind: Unsupported value: \"List\": supported values: \"Pod\", "
                "\"ReplicationController\", \"Service\", \"Namespace\", \"Secret\", \"LimitRange\", \"ResourceQuota\", "
                "\"Endpoints\", \"PersistentVolume\", \"PersistentVolumeClaim\", \"PodTemplate\""});
  REQUIRE(r.objects.size() == 1);
  CHECK(std::get<berth::model::service>(r.objects[0].object).metadata.name == "a");
}

TEST_CASE("YAML syntax errors name the line and column and reject the whole text") {
  CHECK(errors_of("apiVersion: v1\nkind: Pod\nmetadata:\n  name: [web\n") ==
        strings{"test.yaml: YAML syntax error at line 5, column 1: end of sequence flow not found"});
  CHECK(errors_of(pod("") + "---\nkind: Pod\n  name: x\n") ==
        strings{"test.yaml: YAML syntax error at line 11, column 7: illegal map value"});
}

TEST_CASE("JSON manifests decode, and their errors read the same") {
  std::string json = R"({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
    "spec": {"ports": [{"port": "80"}], "selector": {"app": "web"}}})";
  CHECK(errors_of(json) == strings{d1("spec.ports[0].port: Invalid value: \"80\": must be an integer")});
}

TEST_CASE("status in a manifest is accepted and ignored, as Kubernetes does on create") {
  auto r = decode_manifests(pod("") + "status:\n  phase: Running\n  podIP: 10.0.0.9\n", "p.yaml");
  CHECK(r.errors.empty());
  REQUIRE(r.objects.size() == 1);
  CHECK(std::get<berth::model::pod>(r.objects[0].object).status == berth::model::pod_status{});
}

TEST_CASE("empty text and empty documents decode to nothing without errors") {
  CHECK(decode_manifests("", "e.yaml").ok());
  CHECK(decode_manifests("---\n---\n# nothing\n", "e.yaml").objects.empty());
  CHECK(decode_manifests("---\n---\n# nothing\n", "e.yaml").ok());
}

TEST_CASE("mutated manifests never throw: every outcome is objects or field errors") {
  const std::string base = berth::manifest::test::read_example("guestbook-v1.2.0/all-in-one/guestbook-all-in-one.yaml");
  const std::string alphabet = " \n-:#[]{}\"'&*!|>%@`,?~0123456789abcxyz\t\\";
  std::mt19937 rng(99);
  for (int i = 0; i < 300; ++i) {
    std::string text = base;
    for (int k = std::uniform_int_distribution<int>(1, 6)(rng); k > 0; --k) {
      auto pos = std::uniform_int_distribution<std::size_t>(0, text.size() - 1)(rng);
      text[pos] = alphabet[std::uniform_int_distribution<std::size_t>(0, alphabet.size() - 1)(rng)];
    }
    CAPTURE(text);
    berth::manifest::decode_result r;
    CHECK_NOTHROW(r = decode_manifests(text, "fuzz.yaml"));
    CHECK(r.objects.size() + r.errors.size() > 0);
  }
  CHECK(errors_of(pod("", "", "  ? [a, b]\n  : c\n  name: web\n")) ==
        strings{d1("metadata: Invalid value: map keys must be strings")});
  CHECK(errors_of(std::string(3000, '[')).size() == 1);
}
