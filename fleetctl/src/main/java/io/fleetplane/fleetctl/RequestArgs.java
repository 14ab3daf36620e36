package io.fleetplane.fleetctl;

import io.fleetplane.events.Datastore;
import io.fleetplane.events.DatastoreMode;
import io.fleetplane.events.Isolation;
import io.fleetplane.events.Problem;
import io.fleetplane.events.TenantRequest;
import io.fleetplane.events.WireEnum;
import io.fleetplane.events.plan.PlanCatalogue;
import io.fleetplane.events.validation.TenantRequestValidator;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The tenant request a {@code create}, {@code resize} or {@code delete} command line asks for,
 * checked as the scheduler will check it, so that a mistake is reported here and not as a REJECTED
 * event later. Pure: nothing here talks to Kafka.
 */
final class RequestArgs {

  private RequestArgs() {}

  static final String DEFAULT_PLAN = "small";

  private static final TenantRequestValidator VALIDATOR =
      new TenantRequestValidator(PlanCatalogue.defaults());

  private static final Map<String, Args.Kind> CREATE =
      Map.ofEntries(
          Map.entry("--db-secret", Args.Kind.VALUE),
          Map.entry("--region", Args.Kind.VALUE),
          Map.entry("--plan", Args.Kind.VALUE),
          Map.entry("--datastore", Args.Kind.VALUE),
          Map.entry("--database-ref", Args.Kind.VALUE),
          Map.entry("--isolation", Args.Kind.VALUE),
          Map.entry("--priority", Args.Kind.VALUE),
          Map.entry("--label", Args.Kind.REPEATED),
          Map.entry("--ha", Args.Kind.FLAG),
          Map.entry("--storage-gi", Args.Kind.VALUE),
          Map.entry("--request-id", Args.Kind.VALUE));

  private static final Map<String, Args.Kind> RESIZE =
      Map.of(
          "--plan", Args.Kind.VALUE,
          "--priority", Args.Kind.VALUE,
          "--storage-gi", Args.Kind.VALUE,
          "--request-id", Args.Kind.VALUE,
          "--incarnation", Args.Kind.VALUE);

  private static final Map<String, Args.Kind> DELETE =
      Map.of("--request-id", Args.Kind.VALUE, "--incarnation", Args.Kind.VALUE);

  /** Where each field of the request came from on the command line, to name it in a message. */
  private static final Map<String, String> OPTION_OF_FIELD =
      Map.ofEntries(
          Map.entry("tenantId", "tenant"),
          Map.entry("requestId", "--request-id"),
          Map.entry("plan", "--plan"),
          Map.entry("region", "--region"),
          Map.entry("datastore", "--datastore"),
          Map.entry("datastore.databaseRef", "--database-ref"),
          Map.entry("datastore.credentialsSecret", "--db-secret"),
          Map.entry("incarnation", "--incarnation"),
          Map.entry("isolation", "--isolation"),
          Map.entry("storageGi", "--storage-gi"),
          Map.entry("priority", "--priority"),
          Map.entry("highAvailability", "--ha"));

  static TenantRequest create(List<String> tokens) {
    Args a = Args.parse("create", tokens, CREATE);
    String tenant = a.single("a tenant id");
    Datastore datastore = datastore(a);
    Isolation isolation =
        a.value("--isolation")
            .map(v -> wireEnum(a, "--isolation", Isolation.class, v))
            .orElse(Isolation.RUNC);
    TenantRequest r =
        TenantRequest.create(
                tenant,
                requestId(a),
                a.value("--plan").orElse(DEFAULT_PLAN),
                a.value("--region").orElse(null),
                datastore,
                isolation)
            .withRequiredLabels(labels(a))
            .withHighAvailability(a.flag("--ha"))
            .withPriority(a.integer("--priority"))
            .withStorageGi(a.integer("--storage-gi"))
            .withRequestedAt(Instant.now());
    return checked(a, r);
  }

  static TenantRequest resize(List<String> tokens) {
    Args a = Args.parse("resize", tokens, RESIZE);
    String tenant = a.single("a tenant id");
    if (!a.flag("--plan") && !a.flag("--priority") && !a.flag("--storage-gi")) {
      throw a.bad("resize needs --plan (or --priority or --storage-gi)");
    }
    TenantRequest r =
        TenantRequest.resize(tenant, requestId(a), a.value("--plan").orElse(null))
            .withPriority(a.integer("--priority"))
            .withStorageGi(a.integer("--storage-gi"))
            .withRequestedAt(Instant.now())
            .withIncarnation(a.value("--incarnation").orElse(null));
    return checked(a, r);
  }

  static TenantRequest delete(List<String> tokens) {
    Args a = Args.parse("delete", tokens, DELETE);
    String tenant = a.single("a tenant id");
    return checked(
        a,
        TenantRequest.delete(tenant, requestId(a))
            .withRequestedAt(Instant.now())
            .withIncarnation(a.value("--incarnation").orElse(null)));
  }

  private static String requestId(Args a) {
    return a.value("--request-id").orElseGet(() -> UUID.randomUUID().toString());
  }

  /** kine is the only mode with an external database, so naming one is enough to choose it. */
  private static Datastore datastore(Args a) {
    String ref = a.value("--database-ref").orElse(null);
    DatastoreMode mode =
        a.value("--datastore")
            .map(v -> wireEnum(a, "--datastore", DatastoreMode.class, v))
            .orElse(ref == null ? DatastoreMode.DEDICATED_ETCD : DatastoreMode.KINE);
    return new Datastore(mode, ref, a.value("--db-secret").orElse(null));
  }

  private static Map<String, String> labels(Args a) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (String kv : a.values("--label")) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw a.bad("--label must be key=value, got '" + kv + "'");
      }
      if (labels.put(kv.substring(0, eq), kv.substring(eq + 1)) != null) {
        throw a.bad("--label " + kv.substring(0, eq) + " is given twice");
      }
    }
    return labels;
  }

  private static <E extends Enum<E> & WireEnum> E wireEnum(
      Args a, String option, Class<E> type, String value) {
    E e = WireEnum.fromWire(type, value);
    if (e == null) {
      throw a.bad(option + " must be " + WireEnum.spellings(type) + ", got '" + value + "'");
    }
    return e;
  }

  /** The request, or a {@link BadInput} naming every problem the scheduler would refuse. */
  private static TenantRequest checked(Args a, TenantRequest r) {
    List<Problem> problems = VALIDATOR.validate(r);
    if (problems.isEmpty()) {
      return r;
    }
    throw a.bad(problems.stream().map(RequestArgs::describe).collect(Collectors.joining("; ")));
  }

  private static String describe(Problem p) {
    if (p.field().isEmpty()) {
      return p.message();
    }
    String where =
        p.field().startsWith("requiredLabels")
            ? "--label"
            : OPTION_OF_FIELD.getOrDefault(p.field(), p.field());
    return where + ": " + p.message();
  }
}
