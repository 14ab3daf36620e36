package io.fleetplane.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetplane.events.codec.Codecs;
import io.fleetplane.events.codec.Decoded;
import io.fleetplane.events.codec.EventCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The examples in events/README.md are valid events: the page cannot drift from the code. */
class EventsReadmeTest {

  private static final Pattern EXAMPLE =
      Pattern.compile("<!-- example: (\\w+) -->\\s*```json\\n(.*?)```", Pattern.DOTALL);

  private static final Map<String, EventCodec<?, ?>> CODECS =
      Map.of(
          "TenantRequest", Codecs.tenantRequest(),
          "Placement", Codecs.PLACEMENT,
          "HostReport", Codecs.HOST_REPORT,
          "HostCommand", Codecs.HOST_COMMAND,
          "TenantEvent", Codecs.TENANT_EVENT,
          "DeadLetter", Codecs.DEAD_LETTER);

  @Test
  void everyExampleDecodesAndEveryEventTypeHasOne() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    Matcher m = EXAMPLE.matcher(readme);
    List<String> seen = new ArrayList<>();
    while (m.find()) {
      EventCodec<?, ?> codec = CODECS.get(m.group(1));
      assertThat(codec).as("codec for example type " + m.group(1)).isNotNull();
      Decoded<?> d = codec.decode(m.group(2).getBytes(StandardCharsets.UTF_8));
      assertThat(d)
          .as(
              () ->
                  m.group(1) + " example: " + (d instanceof Decoded.Failure<?> f ? f.reason() : ""))
          .isInstanceOf(Decoded.Ok.class);
      seen.add(m.group(1));
    }
    assertThat(seen).containsAll(CODECS.keySet());
  }

  @Test
  void theConsoleProducerLinePublishesAValidRequest() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    Matcher m = Pattern.compile("echo '([^|]+)\\|(\\{.*?\\})'").matcher(readme);
    assertThat(m.find()).isTrue();
    TenantRequest r =
        Codecs.tenantRequest().decode(m.group(2).getBytes(StandardCharsets.UTF_8)).orElseThrow();
    assertThat(r.tenantId()).as("the key is the tenant id").isEqualTo(m.group(1));
  }

  @Test
  void theTopicTableMatchesTopics() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    for (TopicSpec t : Topics.all()) {
      Matcher row =
          Pattern.compile("\\| `" + Pattern.quote(t.name()) + "` \\|[^\\n]*\\| (\\d+) \\|")
              .matcher(readme);
      assertThat(row.find()).as(t.name() + " has a row").isTrue();
      assertThat(Integer.parseInt(row.group(1)))
          .as(t.name() + " partitions")
          .isEqualTo(t.defaultPartitions());
      assertThat(row.group(0)).contains(t.compacted() ? "compact" : "delete");
    }
  }
}
