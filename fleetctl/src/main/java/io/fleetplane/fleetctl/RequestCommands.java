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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code create}, {@code resize} and {@code delete}: each builds one tenant request, checked as the
 * scheduler will check it, so that a mistake is reported here and not as a REJECTED event later,
 * and publishes it.
 */
final class RequestCommands {

  private RequestCommands() {}

  static final String DEFAULT_PLAN = "small";

  private static final TenantRequestValidator VALIDATOR =
      new TenantRequestValidator(PlanCatalogue.defaults());

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

  /** What the three share: the tenant, the request id, publishing. */
  abstract static class RequestCommand extends Subcommand {

    @Parameters(
        paramLabel = "<tenant>",
        description = "The tenant's id: a DNS-1123 label, e.g. acme-prod.")
    String tenant;

    @Option(
        names = "--request-id",
        paramLabel = "ID",
        description =
            "The request's id (default: a fresh UUID); publishing the same id again has no"
                + " second effect.")
    String requestId;

    abstract TenantRequest request(String tenant, String requestId);

    @Override
    int run() {
      TenantRequest r =
          request(tenant, requestId != null ? requestId : UUID.randomUUID().toString());
      return root.publisher.publish(root.bootstrap(), checked(r), root.out, root.err);
    }

    abstract String name();
  }

  @Command(
      name = "create",
      description = "Ask for a new tenant control plane.",
      sortOptions = false,
      sortSynopsis = false)
  static final class Create extends RequestCommand {

    @Option(
        names = "--region",
        paramLabel = "R",
        required = true,
        description = "The region to place it in.")
    String region;

    @Option(
        names = "--plan",
        paramLabel = "PLAN",
        description = "Its size (default: " + DEFAULT_PLAN + "); the plans are listed below.")
    String plan;

    @Option(
        names = "--datastore",
        paramLabel = "MODE",
        description =
            "dedicated-etcd (default), shared-etcd or kine; --database-ref alone means kine.")
    String datastore;

    @Option(
        names = "--database-ref",
        paramLabel = "REF",
        description = "kine's database, e.g. postgres://kine@db.example:5432/acme (no password).")
    String databaseRef;

    @Option(
        names = "--db-secret",
        paramLabel = "NAME",
        description =
            "The Secret, in each host's agent namespace, with kine's database password (never put"
                + " one in --database-ref: events live in Kafka).")
    String dbSecret;

    @Option(
        names = "--isolation",
        paramLabel = "runc|gvisor",
        description = "The sandbox of its pods (default: runc).")
    String isolation;

    @Option(
        names = "--priority",
        paramLabel = "N",
        description = "0 to 1,000,000; higher is placed first when capacity is short.")
    String priority;

    @Option(
        names = "--label",
        paramLabel = "k=v",
        description = "A label its host must carry; may be given more than once.")
    List<String> labels = new ArrayList<>();

    @Option(names = "--ha", description = "Highly available: more replicas of every component.")
    boolean ha;

    @Option(
        names = "--storage-gi",
        paramLabel = "N",
        description = "The dedicated etcd's volume size per member (default: the plan's).")
    String storageGi;

    @Override
    String name() {
      return "create";
    }

    @Override
    TenantRequest request(String tenant, String requestId) {
      return TenantRequest.create(
              tenant,
              requestId,
              plan != null ? plan : DEFAULT_PLAN,
              region,
              datastore(),
              isolation == null
                  ? Isolation.RUNC
                  : wireEnum("--isolation", Isolation.class, isolation))
          .withRequiredLabels(labels())
          .withHighAvailability(ha)
          .withPriority(integer("--priority", priority))
          .withStorageGi(integer("--storage-gi", storageGi))
          .withRequestedAt(Instant.now());
    }

    /** kine is the only mode with an external database, so naming one is enough to choose it. */
    private Datastore datastore() {
      DatastoreMode mode =
          datastore != null
              ? wireEnum("--datastore", DatastoreMode.class, datastore)
              : databaseRef == null ? DatastoreMode.DEDICATED_ETCD : DatastoreMode.KINE;
      return new Datastore(mode, databaseRef, dbSecret);
    }

    private Map<String, String> labels() {
      Map<String, String> out = new LinkedHashMap<>();
      for (String kv : labels) {
        int eq = kv.indexOf('=');
        if (eq <= 0) {
          throw bad("--label must be key=value, got '" + kv + "'");
        }
        if (out.put(kv.substring(0, eq), kv.substring(eq + 1)) != null) {
          throw bad("--label " + kv.substring(0, eq) + " is given twice");
        }
      }
      return out;
    }
  }

  @Command(
      name = "resize",
      description = "Change a tenant's plan (or only its priority or etcd volume size).",
      sortOptions = false,
      sortSynopsis = false)
  static final class Resize extends RequestCommand {

    @Option(names = "--plan", paramLabel = "PLAN", description = "Its new size.")
    String plan;

    @Option(names = "--priority", paramLabel = "N", description = "Its new priority.")
    String priority;

    @Option(
        names = "--storage-gi",
        paramLabel = "N",
        description = "Its dedicated etcd's new volume size per member.")
    String storageGi;

    @Option(
        names = "--incarnation",
        paramLabel = "ID",
        description =
            "The request id of the CREATE that made the tenant you mean; if it was deleted and"
                + " created again since, the request is refused.")
    String incarnation;

    @Override
    String name() {
      return "resize";
    }

    @Override
    TenantRequest request(String tenant, String requestId) {
      if (plan == null && priority == null && storageGi == null) {
        throw bad("resize needs --plan (or --priority or --storage-gi)");
      }
      return TenantRequest.resize(tenant, requestId, plan)
          .withPriority(integer("--priority", priority))
          .withStorageGi(integer("--storage-gi", storageGi))
          .withRequestedAt(Instant.now())
          .withIncarnation(incarnation);
    }
  }

  @Command(
      name = "delete",
      description = "Remove a tenant.",
      sortOptions = false,
      sortSynopsis = false)
  static final class Delete extends RequestCommand {

    @Option(
        names = "--incarnation",
        paramLabel = "ID",
        description =
            "The request id of the CREATE that made the tenant you mean; if it was deleted and"
                + " created again since, the request is refused.")
    String incarnation;

    @Override
    String name() {
      return "delete";
    }

    @Override
    TenantRequest request(String tenant, String requestId) {
      return TenantRequest.delete(tenant, requestId)
          .withRequestedAt(Instant.now())
          .withIncarnation(incarnation);
    }
  }

  static <E extends Enum<E> & WireEnum> E wireEnum(String option, Class<E> type, String value) {
    E e = WireEnum.fromWire(type, value);
    if (e == null) {
      throw Subcommand.bad(
          option + " must be " + WireEnum.spellings(type) + ", got '" + value + "'");
    }
    return e;
  }

  /** The request, or a {@link BadInput} naming every problem the scheduler would refuse. */
  static TenantRequest checked(TenantRequest r) {
    List<Problem> problems = VALIDATOR.validate(r);
    if (problems.isEmpty()) {
      return r;
    }
    throw Subcommand.bad(
        problems.stream().map(RequestCommands::describe).collect(Collectors.joining("; ")));
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
