package io.fleetplane.fleetctl;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetplane.events.Datastore;
import io.fleetplane.events.DatastoreMode;
import io.fleetplane.events.Isolation;
import io.fleetplane.events.Op;
import io.fleetplane.events.TenantEvent;
import io.fleetplane.events.TenantRequest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The command line without a broker: what each command asks for, and how mistakes are told. */
class FleetctlArgsTest {

  /** What a command published, and where it meant to. */
  record Sent(String bootstrap, TenantRequest request) {}

  record Result(int exit, String out, String err) {
    List<String> errLines() {
      return err.isEmpty() ? List.of() : List.of(err.split("\n"));
    }
  }

  private final List<Sent> sent = new ArrayList<>();
  private Map<String, String> env = Map.of();

  private Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Publisher recording =
        (bootstrap, request, o, e) -> {
          sent.add(new Sent(bootstrap, request));
          return 0;
        };
    int exit =
        Fleetctl.run(
            args,
            env,
            recording,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private TenantRequest onlySent() {
    assertThat(sent).hasSize(1);
    return sent.get(0).request();
  }

  /** Exit 2, one line saying what is wrong, one hint, no stack trace, nothing published. */
  private void assertRefused(Result r, String... inFirstLine) {
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines()).hasSize(2);
    assertThat(r.errLines().get(0)).startsWith("fleetctl: ").contains(inFirstLine);
    assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(sent).isEmpty();
  }

  @Test
  void createsWithEveryOption() {
    Result r =
        run(
            "create",
            "acme-prod",
            "--region",
            "eu-west",
            "--plan",
            "crossplane-medium",
            "--datastore",
            "kine",
            "--database-ref",
            "postgres://kine@db.example:5432/acme",
            "--isolation",
            "gvisor",
            "--priority",
            "500",
            "--label",
            "fleet.io/tier=gold",
            "--label=zone=a",
            "--ha",
            "--request-id",
            "req-1");

    assertThat(r.exit()).isZero();
    TenantRequest t = onlySent();
    assertThat(t.op()).isEqualTo(Op.CREATE);
    assertThat(t.tenantId()).isEqualTo("acme-prod");
    assertThat(t.requestId()).isEqualTo("req-1");
    assertThat(t.plan()).isEqualTo("crossplane-medium");
    assertThat(t.region()).isEqualTo("eu-west");
    assertThat(t.datastore()).isEqualTo(Datastore.kine("postgres://kine@db.example:5432/acme"));
    assertThat(t.isolation()).isEqualTo(Isolation.GVISOR);
    assertThat(t.priority()).isEqualTo(500);
    assertThat(t.requiredLabels()).isEqualTo(Map.of("fleet.io/tier", "gold", "zone", "a"));
    assertThat(t.highAvailability()).isTrue();
    assertThat(t.requestedAt()).isNotNull();
  }

  @Test
  void createDefaultsToSmallDedicatedEtcdRuncAndAFreshUuid() {
    run("create", "acme", "--region", "eu-west");
    run("create", "acme", "--region", "eu-west");

    TenantRequest first = sent.get(0).request();
    assertThat(first.plan()).isEqualTo("small");
    assertThat(first.datastore()).isEqualTo(Datastore.of(DatastoreMode.DEDICATED_ETCD));
    assertThat(first.isolation()).isEqualTo(Isolation.RUNC);
    assertThat(first.priority()).isNull();
    assertThat(first.storageGi()).isNull();
    assertThat(first.highAvailability()).isFalse();
    assertThat(UUID.fromString(first.requestId())).isNotNull();
    assertThat(sent.get(1).request().requestId()).isNotEqualTo(first.requestId());
  }

  @Test
  void aDatabaseRefAloneChoosesKine() {
    run("create", "acme", "--region", "eu-west", "--database-ref", "postgres://db.example/acme");

    assertThat(onlySent().datastore().mode()).isEqualTo(DatastoreMode.KINE);
  }

  @Test
  void namesTheDatabaseCredentialBySecretNeverByValue() {
    run(
        "create",
        "acme",
        "--region",
        "eu-west",
        "--database-ref",
        "postgres://kine@db.example/acme",
        "--db-secret",
        "acme-db");
    assertThat(onlySent().datastore().credentialsSecret()).isEqualTo("acme-db");

    Result r =
        run("create", "acme", "--region", "eu-west", "--database-ref", "postgres://k:pw@db/a");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--database-ref").contains("must not carry a password");
  }

  @Test
  void resizeAndDeleteCanNameTheIncarnationTheyMean() {
    run("delete", "acme", "--incarnation", "create-1");
    run("resize", "acme", "--plan", "large", "--incarnation", "create-1");

    assertThat(sent).extracting(s -> s.request().incarnation()).containsOnly("create-1");
  }

  @Test
  void takesStorageForDedicatedEtcd() {
    run("create", "acme", "--region", "eu-west", "--storage-gi", "20");

    assertThat(onlySent().storageGi()).isEqualTo(20);
  }

  @Test
  void resizeIsAnUpdateOfThePlan() {
    Result r = run("resize", "acme", "--plan", "large");

    assertThat(r.exit()).isZero();
    TenantRequest t = onlySent();
    assertThat(t.op()).isEqualTo(Op.UPDATE);
    assertThat(t.plan()).isEqualTo("large");
    assertThat(t.region()).isNull();
    assertThat(t.datastore()).isNull();
  }

  @Test
  void deleteNeedsOnlyTheTenant() {
    Result r = run("delete", "acme", "--request-id", "acme-delete-1");

    assertThat(r.exit()).isZero();
    assertThat(onlySent())
        .extracting(TenantRequest::op, TenantRequest::tenantId, TenantRequest::requestId)
        .containsExactly(Op.DELETE, "acme", "acme-delete-1");
  }

  @Test
  void bootstrapComesFromTheOptionThenTheEnvironmentThenLocalhost() {
    run("delete", "a");
    env = Map.of(Fleetctl.BOOTSTRAP_ENV, "kafka.example:9093");
    run("delete", "b");
    run("--bootstrap", "other:9092", "delete", "c");
    run("--bootstrap=third:9094", "delete", "d");

    assertThat(sent)
        .extracting(Sent::bootstrap)
        .containsExactly("localhost:9092", "kafka.example:9093", "other:9092", "third:9094");
  }

  @Test
  void refusesAnUnknownPlanNamingTheKnownOnes() {
    assertRefused(
        run("create", "acme", "--region", "eu-west", "--plan", "huge"),
        "--plan: unknown plan 'huge'",
        "crossplane-medium, large, medium, small");
  }

  @Test
  void refusesATenantIdThatIsNotADnsLabel() {
    assertRefused(
        run("create", "Bad_Id", "--region", "eu-west"),
        "tenant: 'Bad_Id' is not a valid tenant id");
  }

  @Test
  void refusesCreateWithoutARegion() {
    Result r = run("create", "acme");

    assertRefused(r, "--region: is required");
    // The hint is the command's synopsis, on one line, and where its options are explained.
    assertThat(r.errLines().get(1))
        .startsWith("usage: fleetctl create ")
        .contains("--region=R", "<tenant>", "'fleetctl create --help'");
  }

  @Test
  void refusesAnUnknownOption() {
    assertRefused(run("create", "acme", "--region", "eu-west", "--colour", "blue"), "'--colour'");
  }

  @Test
  void refusesAPriorityThatIsNotANumber() {
    assertRefused(
        run("create", "acme", "--region", "eu-west", "--priority", "abc"),
        "--priority must be a whole number, got 'abc'");
  }

  @Test
  void namesEveryProblemOnOneLine() {
    assertRefused(
        run("create", "acme", "--region", "eu-west", "--priority", "-1", "--storage-gi", "0"),
        "--storage-gi: must be between 1 and 4096",
        "--priority: must be between 0 and 1000000, got -1");
  }

  @Test
  void refusesAStorageSizeForKine() {
    assertRefused(
        run(
            "create",
            "a",
            "--region",
            "r",
            "--database-ref",
            "postgres://db/a",
            "--storage-gi",
            "5"),
        "--storage-gi: applies to dedicated-etcd only");
  }

  @Test
  void refusesADatastoreItDoesNotKnow() {
    assertRefused(
        run("create", "acme", "--region", "eu-west", "--datastore", "mongo"),
        "--datastore must be dedicated-etcd, shared-etcd or kine, got 'mongo'");
  }

  @Test
  void refusesALabelWithoutValue() {
    assertRefused(
        run("create", "acme", "--region", "eu-west", "--label", "tier"),
        "--label must be key=value");
  }

  @Test
  void refusesAnOptionGivenTwice() {
    assertRefused(
        run("create", "acme", "--region", "eu-west", "--region", "us-east"),
        "--region is given twice");
  }

  @Test
  void refusesAMissingTenantAndAnExtraArgument() {
    assertRefused(run("delete"), "delete needs a tenant id");
    assertRefused(run("delete", "a", "b"), "unexpected argument 'b'");
  }

  @Test
  void refusesAResizeThatChangesNothing() {
    assertRefused(run("resize", "acme"), "resize needs --plan");
  }

  @Test
  void refusesAnUnknownCommandAndNoCommand() {
    assertRefused(run("launch", "acme"), "unknown command 'launch'");
    assertRefused(run(), "no command given");
    assertRefused(run("--bootstrap", "k:9092"), "no command given");
  }

  @Test
  void refusesAMalformedBootstrap() {
    assertRefused(run("--bootstrap", "no-port", "delete", "a"), "--bootstrap must be HOST:PORT");
    assertRefused(run("--bootstrap"), "--bootstrap needs a value");
  }

  @Test
  void helpListsEveryCommandAndTheDemo() {
    for (String[] args : List.of(new String[] {"help"}, new String[] {"--help"})) {
      Result r = run(args);

      assertThat(r.exit()).isZero();
      assertThat(r.out())
          .contains("Usage: fleetctl [-h] [--bootstrap=HOST:PORT] [--kafka-config=FILE]")
          .contains("create", "resize", "delete", "tail", "demo", "fleet", "completion")
          .containsPattern("demo +Start the scheduler \\(embedded Kafka\\), a simulated fleet")
          .contains("dashboard on http://localhost:8080/")
          .contains("Exit codes: 0 done, 1 Kafka failed or --for ran out, 2 bad command line.");
      assertThat(r.err()).isEmpty();
    }
  }

  @Test
  void everyCommandExplainsItsOwnOptions() {
    Map<String, List<String>> options =
        Map.of(
            "create",
            List.of(
                "--region=R", "--plan=PLAN", "--storage-gi=N", "--label=k=v", "--ha", "<tenant>"),
            "resize",
            List.of("--plan=PLAN", "--incarnation=ID"),
            "delete",
            List.of("--request-id=ID", "--incarnation=ID"),
            "tail",
            List.of("--until=TYPE[,TYPE]", "--for=DURATION"),
            "demo",
            List.of("--rate=N", "--fresh", "--node-storage-gib=N"),
            "fleet",
            List.of("--stats-every=DURATION", "--hosts-per-region=N"),
            "completion",
            List.of("source <(bin/fleetctl completion)"));
    options.forEach(
        (command, expected) -> {
          for (String[] args :
              List.of(new String[] {command, "--help"}, new String[] {"help", command})) {
            Result r = run(args);
            assertThat(r.exit()).as(String.join(" ", args)).isZero();
            assertThat(r.out())
                .as(String.join(" ", args))
                .startsWith("Usage: fleetctl " + command)
                .contains(expected);
            assertThat(sent).isEmpty();
          }
        });
    // create lists the plans of the catalogue
    assertThat(run("create", "--help").out())
        .contains("Plans: crossplane-medium, large, medium, small.");
  }

  @Test
  void completionCoversEveryCommandAndOption() {
    Result r = run("completion");

    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .contains("complete -F _complete_fleetctl")
        .contains("create", "resize", "delete", "tail", "demo", "fleet")
        .contains("--region", "--storage-gi", "--until", "--node-storage-gib", "--bootstrap");
  }

  @Test
  void bashCompletesCommandsAndOptionsWithTheScript(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path script = dir.resolve("fleetctl.bash");
    java.nio.file.Files.writeString(script, run("completion").out());
    // What bash offers after "fleetctl de" and after "fleetctl create --re", TAB.
    String probe =
        "source "
            + script
            + " 2>/dev/null\n"
            + "complete() { :; }\n"
            + "COMP_WORDS=(fleetctl de); COMP_CWORD=1; COMP_LINE='fleetctl de';"
            + " _complete_fleetctl 2>/dev/null; echo \"${COMPREPLY[*]}\"\n"
            + "COMP_WORDS=(fleetctl create --re); COMP_CWORD=2; COMP_LINE='fleetctl create --re';"
            + " _complete_fleetctl 2>/dev/null; echo \"${COMPREPLY[*]}\"\n";
    Process bash = new ProcessBuilder("bash", "-c", probe).redirectErrorStream(true).start();
    String offered = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(bash.waitFor()).isZero();
    assertThat(offered.lines().toList()).containsExactly("delete demo", "--request-id --region");
  }

  @Test
  void tailParsesItsOptions() {
    TailOptions o =
        TailCommand.parse(
            List.of(
                "--tenant",
                "acme",
                "--from-beginning",
                "--for",
                "5m",
                "--until",
                "ready,FAILED",
                "--count",
                "3"));

    assertThat(o)
        .isEqualTo(
            new TailOptions(
                "acme",
                true,
                Duration.ofMinutes(5),
                Set.of(TenantEvent.Type.READY, TenantEvent.Type.FAILED),
                3));
    assertThat(TailCommand.parse(List.of()))
        .isEqualTo(new TailOptions(null, false, null, Set.of(), null));
  }

  @Test
  void tailReadsDurationsAsTyped() {
    assertThat(TailCommand.parse(List.of("--for", "500ms")).limit())
        .isEqualTo(Duration.ofMillis(500));
    assertThat(TailCommand.parse(List.of("--for", "30s")).limit())
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(TailCommand.parse(List.of("--for", "2h")).limit()).isEqualTo(Duration.ofHours(2));
  }

  @Test
  void tailRefusesWhatItCannotWaitFor() {
    assertRefused(run("tail", "--until", "READY"), "--until needs --tenant");
    assertRefused(
        run("tail", "--tenant", "a", "--until", "REDY"),
        "unknown event type 'REDY': known types are ACCEPTED, PLACED");
    assertRefused(run("tail", "--for", "soon"), "--for must be a positive duration");
    assertRefused(run("tail", "--for", "0s"), "--for must be a positive duration");
    assertRefused(run("tail", "--count", "0"), "--count must be at least 1");
    assertRefused(run("tail", "acme"), "unexpected argument 'acme'");
  }

  @Test
  void tailPrintsOneLinePerEventWithADashForNoCluster() {
    TenantEvent placed =
        TenantEvent.of(
            "acme",
            TenantEvent.Type.PLACED,
            TenantEvent.Source.SCHEDULER,
            "eu-west-h001",
            "r1",
            "best fit,\nscore 87",
            java.time.Instant.parse("2026-11-24T10:15:30Z"));
    TenantEvent accepted =
        TenantEvent.of(
            "acme",
            TenantEvent.Type.ACCEPTED,
            TenantEvent.Source.SCHEDULER,
            null,
            "r1",
            "queued",
            java.time.Instant.parse("2026-11-24T10:15:29Z"));

    assertThat(Tail.line(placed))
        .isEqualTo("2026-11-24T10:15:30Z acme PLACED scheduler eu-west-h001 best fit, score 87");
    assertThat(Tail.line(accepted))
        .isEqualTo("2026-11-24T10:15:29Z acme ACCEPTED scheduler - queued");
  }
}
