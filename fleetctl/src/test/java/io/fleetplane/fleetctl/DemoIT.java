package io.fleetplane.fleetctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's run command, as a newcomer runs it: the packaged {@code fleetctl demo} in a
 * directory of its own (free ports instead of 8080 and 9092). Its scheduler becomes ready, the
 * fleet's 60 hosts report, the request stream's tenants are placed and run, {@code fleetctl create}
 * and {@code tail} work against it, and a SIGTERM (Ctrl-C) stops everything it started.
 */
class DemoIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void theDemoRunsTheWholeSystemStopsCleanlyAndStartsAgainWhereItStopped() throws Exception {
    int port = freePort();
    int kafkaPort = freePort();
    while (kafkaPort + 1 == port || kafkaPort == port) {
      kafkaPort = freePort();
    }
    HttpClient http = HttpClient.newHttpClient();
    Path out = dir.resolve("demo-1.out");
    Process demo = start(port, kafkaPort, out);
    int tenants;
    try {
      awaitBanner(demo, out, port);
      await()
          .atMost(Duration.ofMinutes(2))
          .untilAsserted(
              () -> {
                JsonNode totals = JSON.readTree(get(http, port, "/api/fleet")).path("totals");
                assertThat(totals.path("readyHosts").asInt()).isEqualTo(60);
                assertThat(totals.path("tenants").asInt()).isGreaterThan(20);
              });
      assertThat(get(http, port, "/")).contains("<canvas");
      await()
          .atMost(Duration.ofMinutes(1))
          .untilAsserted(
              () ->
                  assertThat(read(out))
                      .containsPattern("fleet holds \\d+ tenants, [1-9]\\d* ready"));

      // fleetctl against the same system: a tenant is created and reported Ready.
      String bootstrap = "localhost:" + kafkaPort;
      assertThat(read(out)).contains("bin/fleetctl --bootstrap " + bootstrap + " create my-tenant");
      assertThat(
              Fleetctl.run(
                  new String[] {
                    "--bootstrap", bootstrap, "create", "newcomer", "--region", "eu-west"
                  },
                  System.out,
                  System.err))
          .isZero();
      assertThat(
              Fleetctl.run(
                  new String[] {
                    "--bootstrap",
                    bootstrap,
                    "tail",
                    "--tenant",
                    "newcomer",
                    "--from-beginning",
                    "--until",
                    "READY",
                    "--for",
                    "60s"
                  },
                  System.out,
                  System.err))
          .isZero();
      tenants = JSON.readTree(get(http, port, "/api/fleet")).path("totals").path("tenants").asInt();
    } finally {
      stop(demo);
    }
    assertThat(read(out)).contains("Stopped.");
    assertThat(dir.resolve("data").resolve("kafka")).isDirectory();
    assertThat(dir.resolve("data").resolve("scheduler.log")).isRegularFile();

    // Again, on the same ./data: the earlier tenants are placed again at once, and the scheduler
    // decides new ones without waiting for its old group member's session to expire.
    Path again = dir.resolve("demo-2.out");
    Process second = start(port, kafkaPort, again);
    try {
      awaitBanner(second, again, port);
      assertThat(read(again)).containsPattern("Tenants +[1-9]\\d* from earlier demos");
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(
                          JSON.readTree(get(http, port, "/api/fleet"))
                              .path("totals")
                              .path("tenants")
                              .asInt())
                      .isGreaterThan(tenants));
    } finally {
      stop(second);
    }
  }

  /** The packaged demo in the test's directory, as the README runs it but on free ports. */
  private Process start(int port, int kafkaPort, Path out) throws IOException {
    Path jar = Path.of("target", "fleetctl.jar").toAbsolutePath();
    assertThat(jar).as("the packaged fleetctl (built by the package phase)").exists();
    List<String> cmd =
        List.of(
            ProcessHandle.current().info().command().orElse("java"),
            "-Dfleet.scheduler.jar="
                + Path.of("..", "scheduler", "target", "quarkus-app", "quarkus-run.jar")
                    .toAbsolutePath(),
            "-jar",
            jar.toString(),
            "demo",
            "--port",
            Integer.toString(port),
            "--kafka-port",
            Integer.toString(kafkaPort),
            "--rate",
            "20");
    return new ProcessBuilder(cmd)
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(out.toFile())
        .start();
  }

  private static void awaitBanner(Process demo, Path out, int port) {
    await()
        .atMost(Duration.ofMinutes(3))
        .untilAsserted(
            () -> {
              assertThat(demo.isAlive()).as("the demo runs: %s", read(out)).isTrue();
              assertThat(read(out)).contains("Dashboard  http://localhost:" + port + "/");
            });
  }

  /** SIGTERM, as Ctrl-C; the demo and everything it started must end. */
  private static void stop(Process demo) throws Exception {
    List<ProcessHandle> children = demo.descendants().toList();
    demo.destroy();
    boolean stopped = demo.waitFor(60, TimeUnit.SECONDS);
    List<ProcessHandle> left = new ArrayList<>();
    for (ProcessHandle child : children) {
      try {
        child.onExit().get(30, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        left.add(child);
      }
    }
    children.forEach(ProcessHandle::destroyForcibly); // cleanup only, after the checks
    assertThat(stopped).as("the demo stops").isTrue();
    assertThat(children).as("the demo ran the scheduler as a child").isNotEmpty();
    assertThat(left).as("processes the demo left running").isEmpty();
  }

  private static String get(HttpClient http, int port, String path) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static String read(Path p) throws IOException {
    return Files.exists(p) ? Files.readString(p) : "";
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
