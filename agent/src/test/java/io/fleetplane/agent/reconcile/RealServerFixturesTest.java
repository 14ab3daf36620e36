package io.fleetplane.agent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agent's change detection ({@link Converged}) over what a real kube-apiserver v1.32.6 stored
 * for what the agent submitted (k8s-fixtures, copied from the shared fixtures: see its README):
 * every pair is "no change", written with create/update and with server-side apply alike; and a
 * change of anything the agent owns — an image, a replica count, a label, an argument, a quantity's
 * value, a port — is "changed".
 */
class RealServerFixturesTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final KubernetesSerialization K8S = new KubernetesSerialization();
  private static final List<String> FILES =
      List.of(
          "deployments",
          "statefulsets",
          "services",
          "namespaces",
          "resourcequotas",
          "limitranges",
          "networkpolicies");

  record Pair(String file, String kind, String name, JsonNode submitted, JsonNode stored) {
    @Override
    public String toString() {
      return file + ": " + kind + " " + name;
    }
  }

  static List<Pair> pairs(String dir) throws IOException {
    List<Pair> pairs = new ArrayList<>();
    for (String f : FILES) {
      String path = "/k8s-fixtures/" + dir + f + ".jsonl";
      try (InputStream in = RealServerFixturesTest.class.getResourceAsStream(path)) {
        assertThat(in).as(path).isNotNull();
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String line; (line = r.readLine()) != null; ) {
          if (line.isBlank()) {
            continue;
          }
          JsonNode n = JSON.readTree(line);
          pairs.add(
              new Pair(
                  dir + f,
                  n.get("kind").asText(),
                  n.get("namespace").asText() + "/" + n.get("name").asText(),
                  n.get("submitted"),
                  n.get("stored")));
        }
      }
    }
    return pairs;
  }

  static Stream<Pair> all() throws IOException {
    return Stream.concat(pairs("").stream(), pairs("ssa/").stream());
  }

  private static HasMetadata typed(JsonNode n) {
    return K8S.unmarshal(n.toString());
  }

  @Test
  void holdsEveryPairOfBothWaysOfWriting() throws IOException {
    assertThat(pairs("")).hasSize(120);
    assertThat(pairs("ssa/")).hasSize(120);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("all")
  void whatTheServerStoredForWhatWeSubmittedIsNoChange(Pair p) {
    assertThat(Converged.matches(typed(p.submitted()), typed(p.stored())))
        .as("%s: the server's defaults and canonical forms are not a change", p)
        .isTrue();
  }

  /** A change of something the agent owns, where the object has it. */
  record Mutation(String what, Function<ObjectNode, Boolean> apply) {
    @Override
    public String toString() {
      return what;
    }
  }

  static final List<Mutation> MUTATIONS =
      List.of(
          new Mutation("another image", o -> firstContainer(o, c -> c.put("image", "evil:1"))),
          new Mutation(
              "another replica count",
              o -> {
                JsonNode spec = o.path("spec");
                if (!spec.has("replicas")) {
                  return false;
                }
                ((ObjectNode) spec).put("replicas", spec.get("replicas").asInt() + 1);
                return true;
              }),
          new Mutation(
              "another label value",
              o -> {
                ObjectNode labels = (ObjectNode) o.path("metadata").path("labels");
                String key = labels.fieldNames().next();
                labels.put(key, labels.get(key).asText() + "x");
                return true;
              }),
          new Mutation(
              "one more label",
              o -> {
                ((ObjectNode) o.path("metadata").path("labels")).put("fleetplane.io/new", "1");
                return true;
              }),
          new Mutation(
              "another argument",
              o ->
                  firstContainer(
                      o,
                      c -> {
                        if (c.has("args")) {
                          ((ArrayNode) c.get("args")).set(0, "--evil");
                        } else if (c.has("command")) {
                          ((ArrayNode) c.get("command")).add("--evil");
                        } else {
                          c.putArray("args").add("--evil");
                        }
                      })),
          new Mutation(
              "another quantity value",
              o -> {
                ObjectNode q = firstQuantityMap(o);
                if (q == null) {
                  return false;
                }
                String key = q.fieldNames().next();
                q.put(key, bump(q.get(key).asText()));
                return true;
              }),
          new Mutation(
              "another port",
              o -> {
                JsonNode ports = o.path("spec").path("ports");
                if (!ports.isArray() || ports.isEmpty()) {
                  return false;
                }
                ObjectNode p = (ObjectNode) ports.get(0);
                p.put("port", p.get("port").asInt() + 1);
                return true;
              }));

  static Stream<Arguments> mutated() throws IOException {
    List<Arguments> out = new ArrayList<>();
    for (Pair p : all().toList()) {
      for (Mutation m : MUTATIONS) {
        ObjectNode copy = p.submitted().deepCopy();
        if (m.apply().apply(copy)) {
          out.add(Arguments.of(p, m, copy));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}, {1}")
  @MethodSource("mutated")
  void aChangeOfWhatWeOwnIsAChange(Pair p, Mutation m, ObjectNode desired) {
    assertThat(Converged.matches(typed(desired), typed(p.stored())))
        .as("%s with %s", p, m)
        .isFalse();
  }

  @Test
  void everyKindOfChangeIsTriedOnSomePair() throws IOException {
    List<String> tried = mutated().map(a -> a.get()[1].toString()).distinct().toList();
    assertThat(tried)
        .containsExactlyInAnyOrderElementsOf(MUTATIONS.stream().map(Mutation::what).toList());
  }

  // ---- helpers -------------------------------------------------------------------------------

  private static boolean firstContainer(
      ObjectNode o, java.util.function.Consumer<ObjectNode> change) {
    JsonNode containers = o.path("spec").path("template").path("spec").path("containers");
    if (!containers.isArray() || containers.isEmpty()) {
      return false;
    }
    change.accept((ObjectNode) containers.get(0));
    return true;
  }

  /** The first map of quantities: container resources, a quota's hard, a limit range's default. */
  private static ObjectNode firstQuantityMap(JsonNode n) {
    if (n.isObject()) {
      for (Map.Entry<String, JsonNode> f : (Iterable<Map.Entry<String, JsonNode>>) n::fields) {
        if (List.of("requests", "limits", "hard", "default").contains(f.getKey())
            && f.getValue().isObject()
            && !f.getValue().isEmpty()) {
          return (ObjectNode) f.getValue();
        }
        ObjectNode deeper = firstQuantityMap(f.getValue());
        if (deeper != null) {
          return deeper;
        }
      }
    } else if (n.isArray()) {
      for (JsonNode e : n) {
        ObjectNode deeper = firstQuantityMap(e);
        if (deeper != null) {
          return deeper;
        }
      }
    }
    return null;
  }

  /** The same unit, one more of it: 500m → 501m, 1Gi → 2Gi, 3 → 4. */
  private static String bump(String quantity) {
    int i = 0;
    while (i < quantity.length() && Character.isDigit(quantity.charAt(i))) {
      i++;
    }
    return (Long.parseLong(quantity.substring(0, i)) + 1) + quantity.substring(i);
  }
}
