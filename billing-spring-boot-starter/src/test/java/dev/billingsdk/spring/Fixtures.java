package dev.billingsdk.spring;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.setup.Billing;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** What the starter's tests share: a tenant, an account, a credit unit and a clock they move. */
final class Fixtures {
  static final TenantId TENANT = TenantId.of("acme");
  static final AccountId ACCOUNT = AccountId.of("org-1");
  static final CreditUnit CREDIT = CreditUnit.of("CREDIT", 2);
  static final Actor ADMIN = Actor.of("alice", Role.ADMIN);
  static final Instant START = Instant.parse("2026-03-10T09:00:00Z");

  private Fixtures() {}

  /** An H2 database of its own, alive until the JVM ends. */
  static String h2(String name) {
    return "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1";
  }

  /** Opens the account and grants it {@code credits}. */
  static void fund(Billing billing, String credits) {
    billing
        .credits()
        .openAccount(OpenAccountRequest.builder(TENANT, ACCOUNT, CREDIT).actor(ADMIN).build());
    billing
        .credits()
        .grant(
            GrantRequest.builder(TENANT, ACCOUNT, Amount.of(CREDIT, credits))
                .category(GrantCategory.PROMOTIONAL)
                .idempotencyKey(IdempotencyKey.of("grant-1"))
                .actor(ADMIN)
                .reason("welcome credits")
                .build());
  }

  /** A usage charge of {@code credits} under {@code key}. */
  static ChargeRequest charge(String credits, String key) {
    return ChargeRequest.builder(
            TENANT, ACCOUNT, Charge.usage("api.calls", Amount.of(CREDIT, credits)))
        .idempotencyKey(IdempotencyKey.of(key))
        .actor(Actor.system("test"))
        .reason("API calls")
        .build();
  }

  /** A clock the test moves by hand. */
  static final class TestClock extends Clock {
    private final AtomicLong micros;

    TestClock(Instant start) {
      this.micros = new AtomicLong(start.getEpochSecond() * 1_000_000 + start.getNano() / 1_000);
    }

    void advance(Duration d) {
      micros.addAndGet(d.toNanos() / 1_000);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      if (!zone.equals(ZoneOffset.UTC)) {
        throw new UnsupportedOperationException("UTC only");
      }
      return this;
    }

    @Override
    public Instant instant() {
      long m = micros.get();
      return Instant.ofEpochSecond(
          Math.floorDiv(m, 1_000_000), Math.floorMod(m, 1_000_000) * 1_000);
    }
  }
}
