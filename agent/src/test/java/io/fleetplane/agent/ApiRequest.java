package io.fleetplane.agent;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One request to the Kubernetes API as its authorizer sees it: the verb, API group, resource (with
 * its subresource, e.g. {@code tenantcontrolplanes/status}), namespace and name, worked out from
 * the HTTP method and path by the API server's own rules (k8s.io/apiserver RequestInfoFactory), or
 * a non-resource URL such as {@code /version}.
 *
 * @param nonResourcePath the path when it names no resource (then the other fields are null)
 */
record ApiRequest(
    String verb,
    String group,
    String resource,
    String namespace,
    String name,
    String nonResourcePath,
    String requestLine) {

  /** Subresources of a namespace itself, which are not a namespaced resource's name. */
  private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

  static ApiRequest of(String method, String pathAndQuery) {
    String line = method + " " + pathAndQuery;
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    Map<String, String> query = query(q < 0 ? "" : pathAndQuery.substring(q + 1));
    List<String> parts =
        new ArrayList<>(Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList());

    String group;
    if (parts.size() >= 3 && parts.get(0).equals("api")) {
      group = "";
      parts = parts.subList(2, parts.size()); // api, v1
    } else if (parts.size() >= 4 && parts.get(0).equals("apis")) {
      group = parts.get(1);
      parts = parts.subList(3, parts.size()); // apis, group, version
    } else {
      return new ApiRequest(null, null, null, null, null, path, line);
    }
    boolean watchPath = !parts.isEmpty() && parts.get(0).equals("watch");
    if (watchPath) {
      parts = parts.subList(1, parts.size());
    }
    String namespace = null;
    if (parts.get(0).equals("namespaces") && parts.size() > 1) {
      namespace = parts.get(1);
      if (parts.size() > 2 && !NAMESPACE_SUBRESOURCES.contains(parts.get(2))) {
        parts = parts.subList(2, parts.size());
      }
    }
    String resource = parts.get(0);
    String name = parts.size() > 1 ? parts.get(1) : null;
    if (resource.equals("namespaces") && name != null) {
      namespace = null; // a namespace is cluster-scoped: /api/v1/namespaces/{name}[/status]
    }
    if (parts.size() > 2) {
      resource = resource + "/" + parts.get(2);
    }
    if (name == null) {
      String field = query.getOrDefault("fieldSelector", "");
      for (String f : field.split(",")) {
        if (f.startsWith("metadata.name=")) {
          name = f.substring("metadata.name=".length());
        }
      }
    }
    boolean watch =
        watchPath || "true".equals(query.get("watch")) || "1".equals(query.get("watch"));
    String verb =
        switch (method) {
          case "GET", "HEAD" -> watch ? "watch" : parts.size() > 1 ? "get" : "list";
          case "POST" -> "create";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "DELETE" -> parts.size() > 1 ? "delete" : "deletecollection";
          default -> method.toLowerCase(java.util.Locale.ROOT);
        };
    return new ApiRequest(verb, group, resource, namespace, name, null, line);
  }

  boolean isResource() {
    return nonResourcePath == null;
  }

  /** group, resource and verb, as a ClusterRole rule grants them: {@code apps deployments get}. */
  String triple() {
    return (group.isEmpty() ? "\"\"" : group) + " " + resource + " " + verb;
  }

  private static Map<String, String> query(String q) {
    Map<String, String> out = new HashMap<>();
    for (String kv : q.split("&")) {
      if (kv.isEmpty()) {
        continue;
      }
      int eq = kv.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
      out.put(k, v);
    }
    return out;
  }
}
