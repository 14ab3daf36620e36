package io.fleetplane.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Renders kustomization directories with {@code kubectl kustomize} (kustomize as kubectl 1.32 ships
 * it) and loads what they render with fabric8, as typed objects for Kubernetes' own kinds and
 * generic ones for custom resources. No API server is involved.
 */
final class Kustomize {

  private Kustomize() {}

  /** The repository's deploy/ folder: the module runs in deploy-tests/. */
  static final Path DEPLOY =
      Path.of(System.getProperty("fleet.deploy.dir", "../deploy")).toAbsolutePath().normalize();

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /** kubectl: $KUBECTL, else /usr/bin/kubectl, else the first one on the PATH. */
  static Optional<Path> kubectl() {
    String configured = System.getenv("KUBECTL");
    if (configured != null && !configured.isBlank()) {
      return Optional.of(Path.of(configured)).filter(Files::isExecutable);
    }
    Path usual = Path.of("/usr/bin/kubectl");
    if (Files.isExecutable(usual)) {
      return Optional.of(usual);
    }
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    return Stream.of(path.split(java.io.File.pathSeparator))
        .map(dir -> Path.of(dir, "kubectl"))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /**
   * kubectl, or the test stops: it fails in CI (env CI set), where a missing kubectl must not pass
   * unnoticed, and is skipped with the reason elsewhere.
   */
  static Path requireKubectl() {
    Optional<Path> kubectl = kubectl();
    if (kubectl.isEmpty()) {
      String why =
          "kubectl not found (not $KUBECTL, /usr/bin/kubectl or on the PATH): the manifests in"
              + " deploy/ are rendered with `kubectl kustomize`; install kubectl 1.32";
      if (System.getenv("CI") != null) {
        Assertions.fail(why + " (CI is set, so this fails rather than skips)");
      }
      Assumptions.abort(why);
    }
    return kubectl.get();
  }

  /** Every directory under deploy/ that holds a kustomization.yaml, sorted. */
  static List<Path> directories() {
    try (Stream<Path> files = Files.walk(DEPLOY)) {
      return files
          .filter(p -> p.getFileName().toString().equals("kustomization.yaml"))
          .map(Path::getParent)
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code kubectl kustomize dir}: the rendered YAML, or a failure with kubectl's message. */
  static String render(Path dir) {
    Path kubectl = requireKubectl();
    try {
      Process p =
          new ProcessBuilder(kubectl.toString(), "kustomize", dir.toString())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
      String out = read(p.getInputStream());
      if (!p.waitFor(2, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        Assertions.fail("kubectl kustomize " + relative(dir) + " did not finish in 2 minutes");
      }
      if (p.exitValue() != 0) {
        Assertions.fail(
            "kubectl kustomize "
                + relative(dir)
                + " failed ("
                + p.exitValue()
                + "): "
                + err.join());
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Every object {@code kubectl kustomize dir} renders, in its order. */
  static List<HasMetadata> load(Path dir) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String doc : render(dir).split("(?m)^---\\s*$")) {
      if (doc.isBlank()) {
        continue;
      }
      objects.add(SERIALIZATION.unmarshal(doc, HasMetadata.class));
    }
    return objects;
  }

  static String relative(Path dir) {
    return DEPLOY.getParent().relativize(dir).toString();
  }

  private static String read(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
