package io.fleetplane.agent.reconcile;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * fabric8's API server in CRUD mode behind a dispatcher of the test's own, so that faults reach the
 * agent on the real HTTP path: chosen requests are answered with an error, or late, a number of
 * times before the API server answers them. It also counts the agent's requests by kind and how
 * many were being answered at once. The test's own client ({@link #observer()}) is told apart by
 * its User-Agent: no fault touches its requests and no count includes them.
 */
final class FaultyApiServer implements AutoCloseable {

  static final String OBSERVER_AGENT = "fleetplane-test-observer";

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  /** The mock logs every request at INFO; held here, or the setting goes with the logger. */
  private static final Logger MOCK_LOG = quiet(Logger.getLogger(MockWebServer.class.getName()));

  final KubernetesMockServer server;
  private final Faults faults;
  private final List<KubernetesClient> clients = new ArrayList<>();
  private KubernetesClient observer;

  FaultyApiServer() {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    faults = new Faults(new KubernetesMixedDispatcher(responses));
    server = new KubernetesMockServer(new Context(), new MockWebServer(), responses, faults, false);
    server.init();
  }

  /** A client as the agent's: fabric8's defaults, which Quarkus leaves as they are. */
  KubernetesClient agentClient() {
    return agentClient(c -> c);
  }

  /** A client as the agent's with some of its settings changed (a shorter timeout, say). */
  KubernetesClient agentClient(UnaryOperator<ConfigBuilder> settings) {
    Config mock;
    try (KubernetesClient c = server.createClient()) {
      mock = c.getConfiguration();
    }
    Config config = settings.apply(new ConfigBuilder(mock)).build();
    KubernetesClient client = server.createClient(b -> b.withConfig(config));
    clients.add(client);
    return client;
  }

  /** The test's own client: never faulted, never counted. */
  synchronized KubernetesClient observer() {
    if (observer == null) {
      observer = agentClient(c -> c.withUserAgent(OBSERVER_AGENT));
    }
    return observer;
  }

  /**
   * The agent's next {@code times} requests of {@code method} (a regular expression: {@code
   * "PUT|PATCH"}) on a path matching {@code path} (the query apart) are answered with {@code
   * answer}; the ones after that reach the API server.
   */
  Fault fail(String method, String path, int times, Supplier<MockResponse> answer) {
    Fault fault = new Fault(Pattern.compile(method), Pattern.compile(path), times, answer);
    faults.faults.add(fault);
    return fault;
  }

  /** Every answer to the agent from now on (watches apart) is sent {@code delay} late. */
  void answerLate(Duration delay) {
    faults.late = delay;
  }

  /** The most of the agent's requests that were being answered at once. */
  int mostInFlight() {
    return faults.mostInFlight.get();
  }

  /** The agent's requests that write (POST, PUT, PATCH, DELETE) since the last {@link #reset()}. */
  long writes() {
    return faults.writes.get();
  }

  /** The agent's requests that read (GET but watches) since the last {@link #reset()}. */
  long reads() {
    return faults.reads.get();
  }

  /** The agent's watch requests since the last {@link #reset()}. */
  long watches() {
    return faults.watches.get();
  }

  /** The agent's writes by method and resource ({@code "POST services"}) since {@link #reset()}. */
  Map<String, Long> writesByResource() {
    Map<String, Long> out = new TreeMap<>();
    faults.writesBy.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** When the agent's last write came, in {@link System#nanoTime()}. */
  long lastWriteAt() {
    return faults.lastWriteAt.get();
  }

  /** Forgets the counts (the faults stay). */
  void reset() {
    faults.writes.set(0);
    faults.reads.set(0);
    faults.watches.set(0);
    faults.writesBy.clear();
    faults.mostInFlight.set(0);
  }

  private static Logger quiet(Logger logger) {
    logger.setLevel(Level.WARNING);
    return logger;
  }

  /** A Kubernetes Status of the server's as the API server sends it with an error. */
  static MockResponse status(int code, String reason, String message) {
    return new MockResponse()
        .setResponseCode(code)
        .setHeader("Content-Type", "application/json")
        .setBody(
            JSON.asJson(
                new StatusBuilder()
                    .withStatus("Failure")
                    .withCode(code)
                    .withReason(reason)
                    .withMessage(message)
                    .build()));
  }

  /** As the API server's priority and fairness throttles a client. */
  static MockResponse tooManyRequests(int retryAfterSeconds) {
    return status(429, "TooManyRequests", "Too many requests, please try again later.")
        .setHeader("Retry-After", retryAfterSeconds);
  }

  /** No answer for {@code delay}: the request neither fails nor succeeds in the meantime. */
  static MockResponse hang(Duration delay) {
    return status(504, "Timeout", "the server was unable to return a response in the time allotted")
        .setBodyDelay(delay);
  }

  @Override
  public void close() {
    clients.forEach(KubernetesClient::close);
    faults.timer.shutdownNow();
    server.destroy();
  }

  /** A fault: what it matches, how many more times it answers, and when each match came. */
  static final class Fault {
    private final Pattern method;
    private final Pattern path;
    private final AtomicInteger left;
    private final Supplier<MockResponse> answer;
    private final List<Long> attempts = new CopyOnWriteArrayList<>();

    private Fault(Pattern method, Pattern path, int times, Supplier<MockResponse> answer) {
      this.method = method;
      this.path = path;
      this.left = new AtomicInteger(times);
      this.answer = answer;
    }

    /** When each matching request came ({@link System#nanoTime()}), faulted or not. */
    List<Long> attempts() {
      return List.copyOf(attempts);
    }

    /** The gaps between consecutive matching requests, in milliseconds. */
    List<Long> gapsMillis() {
      List<Long> at = attempts();
      List<Long> gaps = new ArrayList<>();
      for (int i = 1; i < at.size(); i++) {
        gaps.add(TimeUnit.NANOSECONDS.toMillis(at.get(i) - at.get(i - 1)));
      }
      return gaps;
    }

    private boolean matches(RecordedRequest request) {
      String p = request.getPath();
      int query = p.indexOf('?');
      return method.matcher(request.getMethod()).matches()
          && path.matcher(query < 0 ? p : p.substring(0, query)).matches();
    }

    /** The fault's answer while it has some left, else empty (the API server answers). */
    private MockResponse answer() {
      return left.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0 ? answer.get() : null;
    }
  }

  /** The dispatcher: faults first, then the API server; counts on the way. */
  private static final class Faults extends Dispatcher {
    private final Dispatcher apiServer;
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong watches = new AtomicLong();
    private final AtomicLong lastWriteAt = new AtomicLong();
    private final Map<String, LongAdder> writesBy = new ConcurrentHashMap<>();
    private volatile Duration late;

    Faults(Dispatcher apiServer) {
      this.apiServer = apiServer;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      if (OBSERVER_AGENT.equals(request.getHeader("User-Agent"))) {
        return apiServer.dispatch(request);
      }
      long now = System.nanoTime();
      boolean watch = request.getPath().contains("watch=true");
      count(request, watch, now);
      MockResponse response = null;
      for (Fault fault : faults) {
        if (fault.matches(request)) {
          fault.attempts.add(now);
          response = fault.answer();
          break;
        }
      }
      if (response == null) {
        response = apiServer.dispatch(request);
      }
      Duration delay = response.getBodyDelay();
      if (delay == null && late != null && !watch && response.getWebSocketListener() == null) {
        delay = late;
        response.setBodyDelay(delay);
      }
      // The server sends a body late (and a response without a body at once): the request is in
      // flight until then.
      mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      if (delay != null && response.getBody() != null && response.getBody().size() > 0) {
        timer.schedule(inFlight::decrementAndGet, delay.toMillis(), TimeUnit.MILLISECONDS);
      } else {
        inFlight.decrementAndGet();
      }
      return response;
    }

    private void count(RecordedRequest request, boolean watch, long at) {
      if (request.getMethod().equals("GET")) {
        (watch ? watches : reads).incrementAndGet();
      } else {
        writes.incrementAndGet();
        lastWriteAt.accumulateAndGet(at, Math::max);
        writesBy
            .computeIfAbsent(
                request.getMethod() + " " + resource(request.getPath()), k -> new LongAdder())
            .increment();
      }
    }

    /** {@code services}, {@code tenantcontrolplanes/status}: the resource a path is about. */
    private static String resource(String path) {
      int query = path.indexOf('?');
      List<String> parts =
          List.of((query < 0 ? path : path.substring(0, query)).replaceFirst("^/", "").split("/"));
      // api/v1/... or apis/<group>/<version>/...
      List<String> rest = parts.subList(parts.get(0).equals("api") ? 2 : 3, parts.size());
      if (rest.size() > 2 && rest.get(0).equals("namespaces")) {
        rest = rest.subList(2, rest.size());
      }
      return rest.get(0) + (rest.size() > 2 ? "/" + rest.get(2) : "");
    }

    @Override
    public void shutdown() {
      apiServer.shutdown();
    }
  }
}
