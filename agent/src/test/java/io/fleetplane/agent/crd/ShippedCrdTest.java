package io.fleetplane.agent.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Namespaced;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ShippedCrdTest {

  static final String NAME = "tenantcontrolplanes.fleetplane.io-v1.yml";

  @Test
  void theCrdInDeployIsTheOneGeneratedFromTheJavaClasses() throws Exception {
    String generated;
    try (InputStream in = getClass().getResourceAsStream("/META-INF/fabric8/" + NAME)) {
      generated = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(Files.readString(Path.of("..", "deploy", "crds", NAME)))
        .as(
            "deploy/crds/%s is out of date: copy it from agent/target/classes/META-INF/fabric8/",
            NAME)
        .isEqualTo(generated);
  }

  @Test
  void theResourceIsClusterScopedSoThatItCanOwnTheTenantsNamespace() {
    assertThat(Namespaced.class.isAssignableFrom(TenantControlPlane.class)).isFalse();
  }
}
