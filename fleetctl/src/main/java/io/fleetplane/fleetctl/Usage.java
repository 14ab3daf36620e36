package io.fleetplane.fleetctl;

import io.fleetplane.events.plan.PlanCatalogue;
import java.util.Map;

/** The help text, and each command's synopsis for the hint under a mistake. */
final class Usage {

  private Usage() {}

  private static final Map<String, String> SYNOPSES =
      Map.of(
          "create",
          "fleetctl create <tenant> --region R [--plan small]"
              + " [--datastore dedicated-etcd|shared-etcd|kine] [--database-ref REF]"
              + " [--db-secret NAME] [--isolation runc|gvisor] [--priority N] [--label k=v]..."
              + " [--ha] [--storage-gi N] [--request-id ID]",
          "resize",
          "fleetctl resize <tenant> --plan P [--priority N] [--storage-gi N] [--request-id ID]"
              + " [--incarnation ID]",
          "delete",
          "fleetctl delete <tenant> [--request-id ID] [--incarnation ID]",
          "tail",
          "fleetctl tail [--tenant T] [--from-beginning] [--for DURATION]"
              + " [--until TYPE[,TYPE]] [--count N]",
          "demo",
          "fleetctl demo [--port 8080] [--kafka-port 9092] [--rate 5] [--tenants N] [--fresh]"
              + " [fleet options]",
          "fleet",
          "fleetctl fleet [--regions a,b,c] [--hosts-per-region N] [--nodes-per-host N]"
              + " [--node-cpu-millis N] [--node-memory-mib N] [--node-pods N] [--node-storage-gib N] [--gvisor-every N]"
              + " [--run-after DURATION] [--report-every DURATION] [--check-every DURATION]"
              + " [--fail-tenants-matching REGEX] [--stats-every DURATION]");

  /** "usage: fleetctl create ...; fleetctl help explains every command". */
  static String synopsis(String command) {
    String s = SYNOPSES.get(command);
    return s == null ? hint() : "usage: " + s;
  }

  static String hint() {
    return "run 'fleetctl help' for the commands and their options";
  }

  static String text() {
    String plans = String.join(", ", PlanCatalogue.defaults().plans().keySet());
    return String.join(
        "\n",
        "usage: fleetctl [--bootstrap HOST:PORT] [--kafka-config FILE] <command> [options]",
        "",
        "Publishes tenant requests to fleet.tenant-requests and follows fleet.tenant-events.",
        "--bootstrap defaults to $FLEET_KAFKA_BOOTSTRAP, else localhost:9092.",
        "--kafka-config (or $FLEET_KAFKA_CONFIG): a properties file of Kafka client settings",
        "(security.protocol, sasl.*, ssl.*) for every client fleetctl starts.",
        "",
        "commands:",
        "  create <tenant> --region R [--plan small]",
        "         [--datastore dedicated-etcd|shared-etcd|kine] [--database-ref REF]",
        "         [--db-secret NAME] [--isolation runc|gvisor] [--priority N] [--label k=v]...",
        "         [--ha] [--storage-gi N] [--request-id ID]",
        "      ask for a new tenant control plane; plans: " + plans,
        "      --label k=v: a label the host must carry; --database-ref alone means kine",
        "      --db-secret: the Secret, in each host's agent namespace, with kine's database",
        "                   password (never put one in --database-ref: events live in Kafka)",
        "  resize <tenant> --plan P [--priority N] [--storage-gi N] [--request-id ID]",
        "         [--incarnation ID]",
        "      change a tenant's plan (or only its priority or etcd volume size)",
        "  delete <tenant> [--request-id ID] [--incarnation ID]",
        "      remove a tenant",
        "      --incarnation: the request id of the CREATE that made the tenant you mean; if it",
        "                     was deleted and created again since, the request is refused",
        "  tail [--tenant T] [--from-beginning] [--for DURATION] [--until TYPE[,TYPE]] [--count N]",
        "      print tenant events: time, tenant, type, source, cluster (or -), reason",
        "      --for 30s|5m|1h      stop after this long",
        "      --until READY,FAILED with --tenant: stop when the tenant reaches one of these;",
        "                           exit 1 if --for runs out first",
        "      --count N            stop after N events",
        "  demo [--port 8080] [--kafka-port 9092] [--rate 5] [--tenants N] [--fresh] [fleet options]",
        "      start the scheduler (embedded Kafka), a simulated fleet and a gentle stream of"
            + " requests; dashboard on http://localhost:8080/",
        "      --rate: requests a second; --tenants: live tenants of the stream before it churns;",
        "      --fresh: remove ./data (the broker's log and the scheduler's state) first;",
        "      tenants named *fail* fail on their host (see the reason in tail)",
        "  fleet [--regions eu-west,us-east,ap-south] [--hosts-per-region 20] [--nodes-per-host 3]",
        "        [--node-cpu-millis 16000] [--node-memory-mib 65536] [--node-pods 110] [--node-storage-gib 400]",
        "        [--gvisor-every 3] [--run-after 3s] [--report-every 10s] [--check-every 1s]",
        "        [--fail-tenants-matching REGEX] [--stats-every 10s]",
        "      run simulated host clusters, each with the agent's own follower and reporters,",
        "      against the Kafka at --bootstrap; prints its figures every --stats-every",
        "  help",
        "      this text",
        "",
        "Requests get a fresh UUID as requestId unless --request-id is given; publishing the",
        "same requestId again has no second effect.",
        "Exit codes: 0 done, 1 Kafka failed or --for ran out, 2 bad command line.");
  }
}
