package io.fleetplane.fleetctl;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The packaged scheduler ({@code scheduler/target/quarkus-app/quarkus-run.jar}) in a JVM of its
 * own, as the demo runs it: without {@code kafka.bootstrap.servers} it starts its embedded broker.
 */
final class SchedulerLauncher implements AutoCloseable {

  private final Process process;
  private final Path log;
  private final int port;
  private final Thread stopOnExit;

  private SchedulerLauncher(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
    // Never leave a scheduler behind (its ports, its data) when this JVM ends without close();
    // after a SIGKILL of this JVM the scheduler sees its parent gone (fleet.parent-pid).
    this.stopOnExit = new Thread(process::destroy, "scheduler-stop");
    Runtime.getRuntime().addShutdownHook(stopOnExit);
  }

  /**
   * Where the packaged scheduler is: {@code -Dfleet.scheduler.jar}, else beside the working
   * directory's or this jar's checkout.
   */
  static Path findJar() {
    String set = System.getProperty("fleet.scheduler.jar");
    if (set != null) {
      return Path.of(set);
    }
    Path relative = Path.of("scheduler", "target", "quarkus-app", "quarkus-run.jar");
    List<Path> tried = new ArrayList<>();
    tried.add(relative.toAbsolutePath());
    try {
      // fleetctl/target/fleetctl.jar -> the checkout is two folders up
      Path self =
          Path.of(
              SchedulerLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path checkout = self.getParent() == null ? null : self.getParent().getParent();
      if (checkout != null && checkout.getParent() != null) {
        tried.add(checkout.getParent().resolve(relative));
      }
    } catch (URISyntaxException | SecurityException e) {
      // only the working directory then
    }
    for (Path p : tried) {
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new IllegalStateException(
        "the packaged scheduler is not built (looked for "
            + tried
            + "); run ./mvnw -q install -DskipTests first");
  }

  /**
   * Starts the scheduler; its output goes to {@code log}.
   *
   * @param properties {@code -D} settings, e.g. {@code kafka.bootstrap.servers=...}
   */
  static SchedulerLauncher start(Path jar, int port, Path log, List<String> properties)
      throws IOException {
    return start(jar, port, log, List.of("-Xmx1g"), properties);
  }

  /** As {@link #start(Path, int, Path, List)}, with these JVM options (e.g. {@code -Xmx4g}). */
  static SchedulerLauncher start(
      Path jar, int port, Path log, List<String> jvmOptions, List<String> properties)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(jvmOptions);
    cmd.add("-Dquarkus.http.port=" + port);
    cmd.add("-Dfleet.parent-pid=" + ProcessHandle.current().pid());
    for (String p : properties) {
      cmd.add("-D" + p);
    }
    cmd.add("-jar");
    cmd.add(jar.toString());
    Files.createDirectories(log.toAbsolutePath().getParent());
    Process process =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    return new SchedulerLauncher(process, log, port);
  }

  /**
   * Waits until the scheduler says it is ready (Kafka up, topics created, streams running).
   *
   * @param progress told once a second while waiting
   * @throws IllegalStateException when it exits or is not ready in time, with its last log lines
   */
  void awaitReady(Duration timeout, Runnable progress) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/health/ready"))
            .timeout(Duration.ofSeconds(2))
            .build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the scheduler exited with code " + process.exitValue() + ":\n" + tail(20));
      }
      try {
        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      progress.run();
      Thread.sleep(1_000);
    }
    throw new IllegalStateException(
        "the scheduler was not ready within " + timeout.toSeconds() + " s:\n" + tail(20));
  }

  boolean alive() {
    return process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  /** The last {@code n} lines of its log. */
  String tail(int n) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    } catch (IOException e) {
      return "(no log at " + log + ": " + e.getMessage() + ")";
    }
  }

  /** Kills it at once (SIGKILL): no shutdown hook runs, as in a crash. */
  void kill() throws InterruptedException {
    try {
      Runtime.getRuntime().removeShutdownHook(stopOnExit);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
    process.destroyForcibly().waitFor();
  }

  /** Stops it as a SIGTERM does (its shutdown hooks run), killing it after 30 s. */
  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(stopOnExit);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
    process.destroy();
    try {
      if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
