package dev.billingsdk.report;

import dev.billingsdk.Actor;
import dev.billingsdk.Identifiers;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import java.time.Instant;

/**
 * A module (a meter key or item code) published by a partner from {@code effectiveFrom} on, until
 * the module's next publication: one partner per module at a time.
 */
public record PartnerModule(
    TenantId tenant,
    String module,
    String partner,
    Instant effectiveFrom,
    Actor publishedBy,
    Instant publishedAt) {

  public PartnerModule {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    Identifiers.check(module, "module");
    Identifiers.check(partner, "partner");
    effectiveFrom = InputContract.instant(effectiveFrom, "effectiveFrom");
    InvalidRequestException.requireNonNull(publishedBy, "actor");
    publishedAt = InputContract.instant(publishedAt, "publishedAt");
  }
}
