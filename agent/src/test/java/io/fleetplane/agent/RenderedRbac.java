package io.fleetplane.agent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The agent's RBAC as a kustomize overlay in deploy/ renders it ({@code kubectl kustomize}): the
 * ServiceAccount its Deployment runs as, and every rule bound to that account, by
 * ClusterRoleBinding (cluster-wide) or RoleBinding (in the binding's namespace).
 *
 * @param namespace the agent's namespace (its Deployment's)
 */
record RenderedRbac(String namespace, String serviceAccount, List<Grant> grants) {

  /**
   * One verb on one resource of one API group, cluster-wide (namespace null) or in one namespace,
   * for any name or only for {@code names}.
   */
  record Grant(
      String group,
      String resource,
      String verb,
      String namespace,
      Set<String> names,
      String from) {

    boolean covers(ApiRequest r) {
      return group.equals(r.group())
          && resource.equals(r.resource())
          && verb.equals(r.verb())
          && (namespace == null || namespace.equals(r.namespace()))
          && (names.isEmpty() || (r.name() != null && names.contains(r.name())));
    }

    String triple() {
      return (group.isEmpty() ? "\"\"" : group) + " " + resource + " " + verb;
    }

    @Override
    public String toString() {
      return triple()
          + (namespace == null ? "" : " in " + namespace)
          + (names.isEmpty() ? "" : " named " + names)
          + " ("
          + from
          + ")";
    }
  }

  static RenderedRbac of(Path overlay) {
    KubernetesSerialization serialization = new KubernetesSerialization();
    List<HasMetadata> objects = new ArrayList<>();
    for (String doc : kustomize(overlay).split("(?m)^---\\s*$")) {
      if (!doc.isBlank()) {
        objects.add(serialization.unmarshal(doc, HasMetadata.class));
      }
    }
    List<Deployment> deployments = of(objects, Deployment.class);
    Assertions.assertEquals(1, deployments.size(), "one agent Deployment in " + overlay);
    Deployment agent = deployments.get(0);
    String ns = agent.getMetadata().getNamespace();
    String sa = agent.getSpec().getTemplate().getSpec().getServiceAccountName();

    List<Grant> grants = new ArrayList<>();
    for (ClusterRoleBinding b : of(objects, ClusterRoleBinding.class)) {
      if (binds(b.getSubjects(), ns, sa)) {
        grants.addAll(rules(objects, b.getRoleRef(), null, "ClusterRoleBinding " + name(b)));
      }
    }
    for (RoleBinding b : of(objects, RoleBinding.class)) {
      if (binds(b.getSubjects(), ns, sa)) {
        String where = b.getMetadata().getNamespace();
        grants.addAll(
            rules(objects, b.getRoleRef(), where, "RoleBinding " + where + "/" + name(b)));
      }
    }
    return new RenderedRbac(ns, sa, grants);
  }

  private static boolean binds(List<Subject> subjects, String ns, String sa) {
    return subjects != null
        && subjects.stream()
            .anyMatch(
                s ->
                    "ServiceAccount".equals(s.getKind())
                        && sa.equals(s.getName())
                        && ns.equals(s.getNamespace()));
  }

  private static List<Grant> rules(
      List<HasMetadata> objects, RoleRef ref, String bindingNamespace, String via) {
    List<PolicyRule> rules;
    String from;
    if (ref.getKind().equals("ClusterRole")) {
      ClusterRole role =
          of(objects, ClusterRole.class).stream()
              .filter(r -> name(r).equals(ref.getName()))
              .findFirst()
              .orElseThrow(() -> new AssertionError(via + " names a ClusterRole not rendered"));
      rules = role.getRules();
      from = "ClusterRole " + ref.getName() + " by " + via;
    } else {
      Role role =
          of(objects, Role.class).stream()
              .filter(r -> name(r).equals(ref.getName()))
              .filter(r -> r.getMetadata().getNamespace().equals(bindingNamespace))
              .findFirst()
              .orElseThrow(() -> new AssertionError(via + " names a Role not rendered"));
      rules = role.getRules();
      from = "Role " + bindingNamespace + "/" + ref.getName() + " by " + via;
    }
    List<Grant> out = new ArrayList<>();
    for (PolicyRule rule : rules) {
      Assertions.assertTrue(
          rule.getNonResourceURLs() == null || rule.getNonResourceURLs().isEmpty(),
          from + ": non-resource URLs are granted to every account by the default roles");
      Set<String> names =
          rule.getResourceNames() == null ? Set.of() : Set.copyOf(rule.getResourceNames());
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          for (String verb : rule.getVerbs()) {
            Assertions.assertFalse(
                group.equals("*") || resource.equals("*") || verb.equals("*"),
                from + " uses a wildcard: " + rule);
            out.add(new Grant(group, resource, verb, bindingNamespace, names, from));
          }
        }
      }
    }
    return out;
  }

  private static <T> List<T> of(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private static String name(HasMetadata o) {
    return o.getMetadata().getName();
  }

  /** {@code kubectl kustomize}; without kubectl, a failure in CI (env CI set), else a skip. */
  private static String kustomize(Path dir) {
    Optional<Path> kubectl =
        Stream.concat(
                Stream.of(Path.of("/usr/bin/kubectl")),
                Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                    .filter(s -> !s.isEmpty())
                    .map(d -> Path.of(d, "kubectl")))
            .filter(Files::isExecutable)
            .findFirst();
    if (kubectl.isEmpty()) {
      String why =
          "kubectl not found: the agent's RBAC is rendered from "
              + dir
              + " with `kubectl kustomize`; install kubectl 1.32";
      if (System.getenv("CI") != null) {
        Assertions.fail(why + " (CI is set, so this fails rather than skips)");
      }
      Assumptions.abort(why);
    }
    try {
      Process p =
          new ProcessBuilder(kubectl.get().toString(), "kustomize", dir.toString())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
      String out = read(p.getInputStream());
      Assertions.assertTrue(p.waitFor(2, TimeUnit.MINUTES), "kubectl kustomize " + dir);
      Assertions.assertEquals(
          0, p.exitValue(), () -> "kubectl kustomize " + dir + ": " + err.join());
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String read(java.io.InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
