package dev.billingsdk.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.AccountId;
import dev.billingsdk.TenantId;
import dev.billingsdk.metering.UsageEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ingest rules both shipped stores decide by (the metering TCK checks them per store). */
class IngestRulesTest {
  static final TenantId ACME = TenantId.of("acme");
  static final TenantId OTHER = TenantId.of("other");
  static final Instant T = Instant.parse("2026-11-02T10:00:00Z");

  static StoredUsageEvent event(TenantId tenant, String id, String fingerprint) {
    UsageEvent e =
        UsageEvent.builder(tenant, AccountId.of("a"), "tokens")
            .id(id)
            .quantity(BigDecimal.ONE)
            .occurredAt(T)
            .build();
    return StoredUsageEvent.unsequenced(e, fingerprint, T);
  }

  @Test
  void newDuplicateOfStoredAndOfEarlierInTheBatchAreToldApartPerTenant() {
    StoredUsageEvent old = event(ACME, "e1", "f1").withSequence(7);
    List<StoredUsageEvent> batch =
        List.of(
            event(ACME, "e1", "f1"), // stored before
            event(ACME, "e2", "f2"), // new
            event(ACME, "e2", "f2"), // earlier in the batch
            event(OTHER, "e1", "x")); // another tenant's id: new
    List<IngestOutcome> decided =
        IngestRules.decide(
            batch, (tenant, id) -> tenant.equals(ACME) && id.equals("e1") ? old : null);
    assertThat(IngestRules.refused(decided)).isFalse();
    assertThat(decided)
        .containsExactly(
            new IngestOutcome.Duplicate(old),
            new IngestOutcome.Inserted(batch.get(1)),
            new IngestOutcome.Duplicate(batch.get(1)),
            new IngestOutcome.Inserted(batch.get(3)));

    List<IngestOutcome> stored =
        IngestRules.stored(decided, (position, e) -> e.withSequence(100 + position));
    StoredUsageEvent e2 = batch.get(1).withSequence(101);
    assertThat(stored)
        .containsExactly(
            new IngestOutcome.Duplicate(old),
            new IngestOutcome.Inserted(e2),
            new IngestOutcome.Duplicate(e2), // answered as the batch stored it
            new IngestOutcome.Inserted(batch.get(3).withSequence(103)));
  }

  @Test
  void anyConflictRefusesTheBatchWithEveryConflictInOrder() {
    StoredUsageEvent old = event(ACME, "e1", "f1");
    List<StoredUsageEvent> batch =
        List.of(
            event(ACME, "e3", "f3"),
            event(ACME, "e1", "changed"),
            event(ACME, "e3", "changed too"));
    Map<String, StoredUsageEvent> store = Map.of("e1", old);
    List<IngestOutcome> decided = IngestRules.decide(batch, (tenant, id) -> store.get(id));
    assertThat(IngestRules.refused(decided)).isTrue();
    assertThat(decided)
        .containsExactly(
            new IngestOutcome.Conflict(old, batch.get(1)),
            new IngestOutcome.Conflict(batch.get(0), batch.get(2)));
    assertThatThrownBy(() -> IngestRules.stored(decided, (p, e) -> e))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
