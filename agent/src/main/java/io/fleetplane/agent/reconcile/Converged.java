package io.fleetplane.agent.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.math.BigDecimal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Whether an object in the cluster is what the agent would write, the way client-side {@code
 * kubectl apply} decides it: two questions, neither of which a server's defaults can fool.
 *
 * <ol>
 *   <li><b>Did our intent change?</b> Every object the agent writes carries {@link #ANNOTATION}, a
 *       hash of the desired object as the agent built it. A different hash means the agent wants
 *       something else — including a field or label it no longer sets, which no comparison of the
 *       two objects can see.
 *   <li><b>Did someone change what we set?</b> Every field the agent sets must be in the actual
 *       object with an equal value; everything else there is the server's (defaults such as {@code
 *       revisionHistoryLimit}, {@code sessionAffinity}, a probe's {@code successThreshold}, {@code
 *       fieldRef.apiVersion}, the namespace label {@code kubernetes.io/metadata.name}) or another
 *       controller's, and is not ours to judge. Quantities compare by value, as the server stores
 *       them canonically ({@code 1024Mi} as {@code 1Gi}, {@code 1000m} as {@code 1}); a field we
 *       set to an empty or zero value matches the server leaving it out.
 * </ol>
 *
 * <p>This is not a list of the defaults of one server version: a field the next version defaults is
 * one more field we do not set, and is ignored the same way. What it cannot see is a field someone
 * else adds that changes the meaning of ours (a second container, say, is seen: lists must have our
 * length). Server-side apply would answer the same questions on a real server, but the test API
 * server has none, and the agent must run one write path (docs in agent/README.md).
 */
final class Converged {

  private Converged() {}

  /** The hash of the desired object as the agent last wrote it. */
  static final String ANNOTATION = "fleetplane.io/desired-hash";

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /** Sorted keys: the same object always hashes the same, whatever order its maps were built in. */
  private static final ObjectMapper CANONICAL =
      new ObjectMapper()
          .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
          .configure(
              com.fasterxml.jackson.databind.MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true);

  /** Keys of maps whose values are quantities, in every kind the agent writes. */
  private static final Set<String> QUANTITY_MAPS =
      Set.of(
          "requests",
          "limits",
          "hard",
          "default",
          "defaultRequest",
          "max",
          "min",
          "maxLimitRequestRatio",
          "capacity",
          "allocatable");

  /** Lists whose order and length are not ours: each of our elements must be there. */
  private static final Set<String> SETS = Set.of("ownerReferences", "finalizers");

  /** Keys whose value is a quantity. */
  private static final Set<String> QUANTITY_FIELDS = Set.of("sizeLimit", "storage");

  /** {@code desired} with {@link #ANNOTATION} set to its hash. */
  static <R extends HasMetadata> R stamped(R desired) {
    Map<String, String> annotations = desired.getMetadata().getAnnotations();
    Map<String, String> copy = annotations == null ? new HashMap<>() : new HashMap<>(annotations);
    copy.remove(ANNOTATION);
    desired.getMetadata().setAnnotations(copy);
    copy.put(ANNOTATION, hash(desired));
    return desired;
  }

  /** The hash of the object without its {@link #ANNOTATION}: SHA-256 of its sorted JSON. */
  static String hash(HasMetadata desired) {
    JsonNode tree = SERIALIZATION.convertValue(desired, JsonNode.class);
    JsonNode annotations = tree.path("metadata").path("annotations");
    if (annotations instanceof ObjectNode o) {
      o.remove(ANNOTATION);
    }
    try {
      byte[] json = CANONICAL.writeValueAsBytes(CANONICAL.treeToValue(tree, Object.class));
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(json);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22);
    } catch (com.fasterxml.jackson.core.JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot hash " + desired.getKind(), e);
    }
  }

  /** True if {@code actual} holds everything {@code desired} sets, as the server stores it. */
  static boolean matches(HasMetadata desired, HasMetadata actual) {
    return matches(
        SERIALIZATION.convertValue(desired, JsonNode.class),
        SERIALIZATION.convertValue(actual, JsonNode.class));
  }

  static boolean matches(JsonNode desired, JsonNode actual) {
    return subset(desired, actual, null);
  }

  private static boolean subset(JsonNode desired, JsonNode actual, String key) {
    if (actual == null || actual.isMissingNode() || actual.isNull()) {
      return empty(desired);
    }
    if (desired.isObject()) {
      if (!actual.isObject()) {
        return false;
      }
      boolean quantities = key != null && QUANTITY_MAPS.contains(key);
      for (Iterator<Map.Entry<String, JsonNode>> it = desired.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        JsonNode a = actual.get(f.getKey());
        boolean ok =
            quantities && f.getValue().isTextual() && a != null && a.isTextual()
                ? sameQuantity(f.getValue().asText(), a.asText())
                : subset(f.getValue(), a, f.getKey());
        if (!ok) {
          return false;
        }
      }
      return true;
    }
    if (desired.isArray() && key != null && SETS.contains(key)) {
      // Others may add their own owner or finalizer: ours must be among them.
      if (!actual.isArray()) {
        return false;
      }
      for (JsonNode d : desired) {
        boolean found = false;
        for (JsonNode a : actual) {
          found |= subset(d, a, key);
        }
        if (!found) {
          return false;
        }
      }
      return true;
    }
    if (desired.isArray()) {
      if (!actual.isArray() || actual.size() != desired.size()) {
        return false;
      }
      for (int i = 0; i < desired.size(); i++) {
        if (!subset(desired.get(i), actual.get(i), key)) {
          return false;
        }
      }
      return true;
    }
    if (key != null && QUANTITY_FIELDS.contains(key) && desired.isTextual() && actual.isTextual()) {
      return sameQuantity(desired.asText(), actual.asText());
    }
    if (desired.isNumber() && actual.isNumber()) {
      return desired.decimalValue().compareTo(actual.decimalValue()) == 0;
    }
    return desired.equals(actual);
  }

  /** What the server leaves out when it stores it: null, {}, [], false, 0, "". */
  private static boolean empty(JsonNode v) {
    return v == null
        || v.isNull()
        || v.isMissingNode()
        || (v.isContainerNode() && v.isEmpty())
        || (v.isBoolean() && !v.asBoolean())
        || (v.isNumber() && v.decimalValue().signum() == 0)
        || (v.isTextual() && v.asText().isEmpty());
  }

  private static boolean sameQuantity(String desired, String actual) {
    if (desired.equals(actual)) {
      return true;
    }
    try {
      BigDecimal d = Quantity.getAmountInBytes(new Quantity(desired));
      BigDecimal a = Quantity.getAmountInBytes(new Quantity(actual));
      return d.compareTo(a) == 0;
    } catch (RuntimeException notAQuantity) {
      return false;
    }
  }
}
