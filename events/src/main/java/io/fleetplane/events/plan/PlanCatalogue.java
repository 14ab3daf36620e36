package io.fleetplane.events.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetplane.events.DatastoreMode;
import io.fleetplane.events.Dimension;
import io.fleetplane.events.Names;
import io.fleetplane.events.Resources;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The named sizes tenants choose from, and what each datastore mode and hosted operator adds. Data,
 * not code: the default is {@code plans.json} beside this class; a deployment may load its own
 * file. Loading checks everything and reports every problem at once.
 *
 * <p>A tenant's demand = plan components + datastore overhead + plan operators, each {@code
 * perReplica x replicas} (or {@code haReplicas} for a highly available tenant).
 */
public final class PlanCatalogue {

  /** Per replica; a plan beyond these is a typo, not a size. */
  static final long MAX_CPU_MILLIS = 64_000;

  static final long MAX_MEMORY_MIB = 256 * 1024;
  static final long MAX_PODS = 100;
  static final int MAX_REPLICAS = 9;
  static final int MAX_STORAGE_GI = 4096;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final SortedMap<String, Plan> plans;
  private final Map<DatastoreMode, Component> datastores;
  private final SortedMap<String, Component> operators;

  private PlanCatalogue(
      SortedMap<String, Plan> plans,
      Map<DatastoreMode, Component> datastores,
      SortedMap<String, Component> operators) {
    this.plans = Collections.unmodifiableSortedMap(plans);
    this.datastores = Collections.unmodifiableMap(datastores);
    this.operators = Collections.unmodifiableSortedMap(operators);
  }

  private static final class Default {
    static final PlanCatalogue INSTANCE = loadDefault();

    private static PlanCatalogue loadDefault() {
      try (InputStream in =
          PlanCatalogue.class.getResourceAsStream("/io/fleetplane/events/plans.json")) {
        if (in == null) {
          throw new IllegalStateException("plans.json is missing from the events jar");
        }
        return parse("plans.json (built in)", in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** The catalogue that ships with Fleetplane. */
  public static PlanCatalogue defaults() {
    return Default.INSTANCE;
  }

  public static PlanCatalogue load(Path file) {
    try {
      return parse(file.toString(), Files.readAllBytes(file));
    } catch (IOException e) {
      throw new CatalogueException(file.toString(), List.of("cannot read it: " + e.getMessage()));
    }
  }

  public static PlanCatalogue parse(String source, byte[] json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new CatalogueException(source, List.of("not JSON: " + e.getMessage()));
    }
    List<String> problems = new ArrayList<>();
    if (root == null || !root.isObject()) {
      throw new CatalogueException(source, List.of("must be a JSON object"));
    }
    if (root.path("v").asInt(-1) != 1) {
      problems.add("v: must be 1");
    }
    SortedMap<String, Component> operators = new TreeMap<>();
    forEachField(
        root,
        "operators",
        problems,
        (name, node) -> {
          checkName("operators", name, problems);
          operators.put(name, component("operators." + name, name, node, problems, 1));
        });
    Map<DatastoreMode, Component> datastores = new EnumMap<>(DatastoreMode.class);
    forEachField(
        root,
        "datastores",
        problems,
        (name, node) -> {
          DatastoreMode mode = io.fleetplane.events.WireEnum.fromWire(DatastoreMode.class, name);
          if (mode == null) {
            problems.add(
                "datastores."
                    + name
                    + ": not a datastore mode (dedicated-etcd, shared-etcd or kine)");
            return;
          }
          datastores.put(mode, component("datastores." + name, name, node, problems, 1));
        });
    for (DatastoreMode mode : DatastoreMode.values()) {
      if (!datastores.containsKey(mode)) {
        problems.add("datastores: no entry for " + mode.wire());
      }
    }
    SortedMap<String, Plan> plans = new TreeMap<>();
    forEachField(
        root,
        "plans",
        problems,
        (name, node) -> {
          String at = "plans." + name;
          checkName("plans", name, problems);
          List<Component> components = new ArrayList<>();
          forEachField(
              node,
              "components",
              problems,
              (cname, cnode) ->
                  components.add(
                      component(at + ".components." + cname, cname, cnode, problems, 1)));
          if (components.isEmpty()) {
            problems.add(at + ".components: a plan needs at least one component");
          }
          List<String> ops = new ArrayList<>();
          for (JsonNode op : node.path("operators")) {
            if (!operators.containsKey(op.asText())) {
              problems.add(at + ".operators: unknown operator '" + op.asText() + "'");
            }
            ops.add(op.asText());
          }
          int storage = node.path("storageGi").asInt(-1);
          if (storage < 1 || storage > MAX_STORAGE_GI) {
            problems.add(at + ".storageGi: must be between 1 and " + MAX_STORAGE_GI);
          }
          plans.put(
              name, new Plan(name, node.path("description").asText(""), components, ops, storage));
        });
    if (plans.isEmpty() && problems.isEmpty()) {
      problems.add("plans: the catalogue needs at least one plan");
    }
    if (!problems.isEmpty()) {
      throw new CatalogueException(source, problems);
    }
    return new PlanCatalogue(plans, datastores, operators);
  }

  private interface FieldVisitor {
    void visit(String name, JsonNode node);
  }

  private static void forEachField(
      JsonNode parent, String field, List<String> problems, FieldVisitor v) {
    JsonNode node = parent.get(field);
    if (node == null || !node.isObject()) {
      problems.add(field + ": must be an object");
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      v.visit(e.getKey(), e.getValue());
    }
  }

  private static void checkName(String what, String name, List<String> problems) {
    if (!Names.isDns1123Label(name, Names.MAX_LABEL)) {
      problems.add(what + "." + name + ": the name must be a DNS-1123 label");
    }
  }

  private static Component component(
      String at, String name, JsonNode node, List<String> problems, long defaultPods) {
    long cpu = bounded(at + ".cpuMillis", node.path("cpuMillis"), 0, MAX_CPU_MILLIS, problems);
    long mem = bounded(at + ".memoryMiB", node.path("memoryMiB"), 0, MAX_MEMORY_MIB, problems);
    long pods =
        node.has("pods")
            ? bounded(at + ".pods", node.path("pods"), 0, MAX_PODS, problems)
            : defaultPods;
    long replicas = bounded(at + ".replicas", node.path("replicas"), 1, MAX_REPLICAS, problems);
    long ha = bounded(at + ".haReplicas", node.path("haReplicas"), 1, MAX_REPLICAS, problems);
    return new Component(name, new Resources(cpu, mem, pods), (int) replicas, (int) ha);
  }

  private static long bounded(String at, JsonNode n, long min, long max, List<String> problems) {
    if (n.isMissingNode()) {
      problems.add(at + ": is required (a whole number between " + min + " and " + max + ")");
      return min;
    }
    if (!n.canConvertToLong() || !n.isIntegralNumber() || n.asLong() < min || n.asLong() > max) {
      problems.add(at + ": must be a whole number between " + min + " and " + max + ", got " + n);
      return min;
    }
    return n.asLong();
  }

  public Optional<Plan> plan(String name) {
    return Optional.ofNullable(plans.get(name));
  }

  public SortedMap<String, Plan> plans() {
    return plans;
  }

  public Component datastore(DatastoreMode mode) {
    return datastores.get(mode);
  }

  public SortedMap<String, Component> operators() {
    return operators;
  }

  /**
   * What a tenant of this plan and datastore mode takes on its host, with the plan's own volume
   * size.
   *
   * @throws IllegalArgumentException for a plan not in the catalogue
   */
  public Resources demand(String planName, DatastoreMode mode, boolean highAvailability) {
    return demand(planName, mode, highAvailability, null);
  }

  /**
   * What a tenant of this plan and datastore mode takes on its host: CPU, memory and pods of the
   * plan's components, the datastore and the plan's operators; storage per {@link #storageGi}.
   *
   * @param storageGi the volume size the request asked for, or null for the plan's
   * @throws IllegalArgumentException for a plan not in the catalogue
   */
  public Resources demand(
      String planName, DatastoreMode mode, boolean highAvailability, Integer storageGi) {
    Plan plan = known(planName);
    Resources sum =
        plan.controlPlane(highAvailability).plus(datastores.get(mode).total(highAvailability));
    for (String op : plan.operators()) {
      sum = sum.plus(operators.get(op).total(highAvailability));
    }
    return sum.with(Dimension.STORAGE, storageGi(planName, mode, highAvailability, storageGi));
  }

  /**
   * The persistent-volume GiB a tenant's datastore claims on its host: one volume per member of a
   * dedicated etcd ({@code storageGi x replicas}, e.g. 3 x 8 = 24 for a highly available medium
   * tenant); a shared etcd and kine claim none on the tenant's behalf. The agent's quota holds the
   * tenant to the same number.
   *
   * @param storageGi the volume size the request asked for, or null for the plan's
   */
  public long storageGi(
      String planName, DatastoreMode mode, boolean highAvailability, Integer storageGi) {
    if (mode != DatastoreMode.DEDICATED_ETCD) {
      return 0;
    }
    int perMember = storageGi != null ? storageGi : known(planName).storageGi();
    Component etcd = datastores.get(mode);
    return (long) perMember * (highAvailability ? etcd.haReplicas() : etcd.replicas());
  }

  private Plan known(String planName) {
    Plan plan = plans.get(planName);
    if (plan == null) {
      throw new IllegalArgumentException(
          "unknown plan '" + planName + "'; known: " + plans.keySet());
    }
    return plan;
  }
}
