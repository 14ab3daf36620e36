package io.fleetplane.scheduler.cell;

/**
 * Where a cell keeps its tenant records: a Kafka Streams state store in the scheduler, a map in
 * tests. The cell keeps only what decisions need in memory (the ledger, the pending queue) and
 * reads a record when a request names its tenant.
 */
public interface TenantRepository {

  TenantRecord get(String tenantId);

  void put(TenantRecord record);

  void delete(String tenantId);
}
