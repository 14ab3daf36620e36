package io.fleetplane.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetplane.events.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The capacity dashboard in a real browser (Debian's headless Chromium, driven through its
 * chromedriver by Selenium) against the packaged scheduler running with its own embedded Kafka
 * broker, as the README's run command starts it. No backend is mocked: the test publishes host
 * reports and tenant requests to that broker and watches the page change. It leaves a screenshot in
 * target/dashboard.png.
 */
class DashboardBrowserIT {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final int HOSTS = 30;
  static final int TENANTS = 60;
  static final int LARGE_FLEET = 10_000;
  static final ObjectMapper JSON = new ObjectMapper();

  static Process scheduler;
  static int httpPort;
  static int kafkaPort;
  static WebDriver browser;

  @BeforeAll
  static void start() throws Exception {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!present && System.getenv("CI") != null) {
      throw new IllegalStateException(
          "CI must run the dashboard test: install Debian's chromium and chromium-driver"
              + " (.ci/run does)");
    }
    Assumptions.assumeTrue(
        present,
        "no " + CHROMIUM + " or " + CHROMEDRIVER + ": apt-get install chromium chromium-driver");
    Path dir = Path.of("target", "dashboard-it");
    deleteTree(dir);
    Files.createDirectories(dir);
    httpPort = SchedulerProcess.freePort();
    kafkaPort = SchedulerProcess.freePort();
    int controllerPort = SchedulerProcess.freePort();
    Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
    assertThat(jar).as("the packaged scheduler (built by the package phase)").exists();
    // No kafka.bootstrap.servers: the scheduler starts its own broker, as on a fresh machine.
    scheduler =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xmx768m",
                "-Dquarkus.http.port=" + httpPort,
                "-Dfleet.embedded-kafka.port=" + kafkaPort,
                "-Dfleet.embedded-kafka.controller-port=" + controllerPort,
                "-Dfleet.embedded-kafka.data-dir=" + dir.resolve("kafka"),
                "-Dkafka-streams.state.dir=" + dir.resolve("streams"),
                "-Dfleet.scheduler.unreachable-after=1h",
                "-Dfleet.scheduler.lost-after=2h",
                "-jar",
                jar.toString())
            .redirectErrorStream(true)
            .redirectOutput(Path.of("target", "dashboard-scheduler.log").toFile())
            .start();
    awaitReady();

    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toString());
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,2200");
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    browser = new ChromeDriver(service, options);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (scheduler != null) {
      scheduler.destroy();
    }
  }

  @Test
  void thePageFollowsReportsAndPlacementsAndLooksATenantUp() throws Exception {
    try {
      followsReportsAndPlacementsAndLooksATenantUp();
    } finally {
      // The last state of the page, passed or failed: a build artifact.
      Files.write(
          Path.of("target", "dashboard.png"),
          ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
  }

  private void followsReportsAndPlacementsAndLooksATenantUp() throws Exception {
    browser.get("http://localhost:" + httpPort + "/");
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
    wait.until(b -> text("status").startsWith("live"));
    assertThat(text("hosts-total")).isEqualTo("0");
    assertThat(text("tenants-placed")).isEqualTo("0");

    publishHosts(0, HOSTS);
    wait.until(b -> text("hosts-total").equals(String.valueOf(HOSTS)));
    wait.until(b -> browser.findElement(By.id("heatmap")).getAttribute("data-hosts").equals("30"));
    assertThat(browser.findElements(By.cssSelector("#heatmap canvas"))).hasSize(3);
    assertThat(browser.findElements(By.cssSelector("#regions tbody tr"))).hasSize(3);

    publishTenants();
    wait.until(b -> text("tenants-placed").equals(String.valueOf(TENANTS)));
    assertThat(text("pending-count")).isEqualTo("0");
    // The host table of the selected region shows tenants on its hosts.
    wait.until(
        b ->
            browser.findElements(By.cssSelector("#host-page tbody tr")).stream()
                .anyMatch(r -> !r.findElements(By.tagName("td")).get(2).getText().equals("0")));
    // The placements-per-second chart counted them.
    wait.until(b -> text("rate-summary").matches(".*\\b" + TENANTS + " placed in five minutes.*"));

    // Clicking the first host of the heat map shows that host.
    WebElement firstCanvas = browser.findElement(By.cssSelector("#heatmap canvas"));
    new org.openqa.selenium.interactions.Actions(browser)
        .moveToElement(
            firstCanvas,
            -firstCanvas.getSize().width / 2 + 3,
            -firstCanvas.getSize().height / 2 + 3)
        .click()
        .perform();
    wait.until(b -> text("host-detail").contains("tenants"));

    // Looking a tenant up shows the host the scheduler placed it on, its plan and its events.
    JsonNode truth = getJson("/api/tenants/t007");
    browser.findElement(By.id("lookup-input")).sendKeys("t007");
    browser.findElement(By.id("lookup-button")).click();
    wait.until(b -> !browser.findElements(By.id("tenant-host")).isEmpty());
    assertThat(text("tenant-host")).isEqualTo(truth.path("clusterId").asText());
    assertThat(truth.path("clusterId").asText()).startsWith("host-");
    assertThat(text("tenant-plan")).isEqualTo("medium");
    assertThat(text("tenant-events")).contains("PLACED");

    // An unknown tenant is said to be unknown.
    browser.findElement(By.id("lookup-input")).clear();
    browser.findElement(By.id("lookup-input")).sendKeys("nobody-here");
    browser.findElement(By.id("lookup-button")).click();
    wait.until(b -> text("tenant-result").equals("No tenant nobody-here."));

    // 10,000 hosts: the page stays a page (no row per host) and draws the heat map quickly.
    publishHosts(HOSTS, LARGE_FLEET);
    wait.until(b -> text("hosts-total").equals("10,000"));
    wait.until(
        b -> browser.findElement(By.id("heatmap")).getAttribute("data-hosts").equals("10000"));
    JavascriptExecutor js = (JavascriptExecutor) browser;
    long elements = (Long) js.executeScript("return document.getElementsByTagName('*').length");
    assertThat(elements).as("DOM elements with 10,000 hosts").isLessThan(1500);
    double drawMs =
        ((Number)
                js.executeScript(
                    "const t = performance.now(); renderHeat(heat); return performance.now() - t;"))
            .doubleValue();
    assertThat(drawMs).as("ms to draw 10,000 hosts").isLessThan(500);
    assertThat(text("page-info"))
        .contains("of 3,333"); // ap-south, the first region, paged 20 at a time
    // Leave the found tenant on the page for the screenshot.
    browser.findElement(By.id("lookup-input")).clear();
    browser.findElement(By.id("lookup-input")).sendKeys("t007");
    browser.findElement(By.id("lookup-button")).click();
    wait.until(b -> !browser.findElements(By.id("tenant-host")).isEmpty());
  }

  private static String text(String id) {
    List<WebElement> found = browser.findElements(By.id(id));
    return found.isEmpty() ? "" : found.get(0).getText().trim();
  }

  private static KafkaProducer<String, byte[]> producer() {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            "localhost:" + kafkaPort,
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true),
        new StringSerializer(),
        new ByteArraySerializer());
  }

  private static void publishHosts(int from, int to) throws Exception {
    String[] regions = {"eu-west", "us-east", "ap-south"};
    try (KafkaProducer<String, byte[]> p = producer()) {
      for (int h = from; h < to; h++) {
        String id = String.format("host-%02d", h);
        String json =
            "{\"v\":1,\"clusterId\":\""
                + id
                + "\",\"region\":\""
                + regions[h % 3]
                + "\",\"zones\":[\"a\",\"b\"],\"allocatable\":{\"cpuMillis\":16000,"
                + "\"memoryMiB\":65536,\"pods\":110},\"capabilities\":{\"gvisor\":true,"
                + "\"datastoreModes\":[\"dedicated-etcd\"],\"sharedEtcdHeadroom\":0},"
                + "\"reportedAt\":\"2026-11-24T10:00:00Z\"}";
        p.send(new ProducerRecord<>(Topics.HOST_REPORTS.name(), id, utf8(json)));
      }
      p.flush();
    }
  }

  private static void publishTenants() throws Exception {
    String[] regions = {"eu-west", "us-east", "ap-south"};
    try (KafkaProducer<String, byte[]> p = producer()) {
      for (int i = 0; i < TENANTS; i++) {
        String t = String.format("t%03d", i);
        String json =
            "{\"v\":1,\"op\":\"CREATE\",\"tenantId\":\""
                + t
                + "\",\"requestId\":\"c"
                + i
                + "\",\"plan\":\""
                + (i % 2 == 1 ? "medium" : "small")
                + "\",\"region\":\""
                + regions[i % 3]
                + "\"}";
        p.send(new ProducerRecord<>(Topics.TENANT_REQUESTS.name(), t, utf8(json)));
      }
      p.flush();
    }
  }

  private static void awaitReady() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      assertThat(scheduler.isAlive())
          .as("the scheduler is running (see target/dashboard-scheduler.log)")
          .isTrue();
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(
                        URI.create("http://localhost:" + httpPort + "/q/health/ready"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(500);
    }
    throw new AssertionError("the scheduler was not ready in 2 minutes");
  }

  private static JsonNode getJson(String path) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    List<Path> all = new ArrayList<>();
    try (Stream<Path> s = Files.walk(dir)) {
      s.forEach(all::add);
    }
    all.sort(Comparator.reverseOrder());
    for (Path p : all) {
      Files.delete(p);
    }
  }
}
