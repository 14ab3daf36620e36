package io.fleetplane.scheduler.rest;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads one key of a state store wherever it lives: here, or on the instance that owns the
 * partition ({@code routingKey} is what the store is partitioned by, which for the cell stores is
 * the cell, not the key), through that instance's internal endpoint.
 */
final class StoreReads {

  private final KafkaStreams streams;
  private final Optional<String> self;
  private final ObjectMapper json;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  StoreReads(KafkaStreams streams, Optional<String> self, ObjectMapper json) {
    this.streams = streams;
    this.self = self;
    this.json = json;
  }

  <V> Optional<V> read(String store, String key, String routingKey, TypeReference<V> type) {
    Optional<HostInfo> owner = owner(store, routingKey);
    if (owner.isEmpty()) {
      return local(streams, store, key);
    }
    HostInfo at = owner.get();
    return fetch(at, "/api/internal/stores/" + store + "/" + key, type);
  }

  /** GETs a JSON answer from another instance; empty unless it answers 200. */
  <V> Optional<V> fetch(HostInfo at, String path, TypeReference<V> type) {
    try {
      HttpResponse<byte[]> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://" + at.host() + ":" + at.port() + path))
                  .timeout(Duration.ofSeconds(5))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      return r.statusCode() == 200 ? Optional.of(json.readValue(r.body(), type)) : Optional.empty();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot reach the scheduler instance at " + at, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** The other instance that owns the key's partition, or empty if it is this one (or alone). */
  private Optional<HostInfo> owner(String store, String routingKey) {
    if (self.isEmpty()) {
      return Optional.empty();
    }
    KeyQueryMetadata m =
        streams.queryMetadataForKey(store, routingKey, Serdes.String().serializer());
    if (m == null || m.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
      return Optional.empty();
    }
    HostInfo h = m.activeHost();
    return (h.host() + ":" + h.port()).equals(self.get()) ? Optional.empty() : Optional.of(h);
  }

  /** This instance's copy of a key (all its partitions of the store). */
  static <V> Optional<V> local(KafkaStreams streams, String store, String key) {
    try {
      ReadOnlyKeyValueStore<String, V> s =
          streams.store(
              StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.keyValueStore()));
      return Optional.ofNullable(s.get(key));
    } catch (InvalidStateStoreException e) {
      return Optional.empty(); // not ready (rebalancing or restoring): the caller says not found
    }
  }
}
