package dev.billingsdk.overflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.BillingException;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeQuote;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.InvoiceCreditRequest;
import dev.billingsdk.credit.InvoiceLine;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.AmountOverflowException;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.testing.TestClock;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Credit application in the finest credit unit ({@link CreditUnit#MAX_SCALE} decimals, where a long
 * of minor units is about 9.2 million credits), with grants, charges, quotes and invoice lines of
 * any size up to {@link Long#MAX_VALUE} minor units.
 *
 * <p>{@link #grants_charges_quotes_and_invoices_in_trillionths_never_overflow_untyped} (500 tries):
 * every call returns or throws a {@link BillingException} (never a raw {@link ArithmeticException}
 * or another runtime exception); a grant is refused, as an {@link AmountOverflowException}, exactly
 * when the account's total would pass a long; the available balance is always the exact sum of what
 * was granted less what was charged and applied.
 */
class FineCreditUnitPropertiesTest {
  static final TenantId ACME = TenantId.of("acme");
  static final Actor ADMIN = Actor.of("alice", Role.ADMIN);
  static final CreditUnit PICO = CreditUnit.of("PICO", CreditUnit.MAX_SCALE);
  static final AccountId A = AccountId.of("a");

  /** One step: a grant, a charge (quoted first) or an invoice of one or two lines. */
  record Step(String kind, long first, long second) {}

  @Property(tries = 500)
  void grants_charges_quotes_and_invoices_in_trillionths_never_overflow_untyped(
      @ForAll("steps") List<Step> steps) {
    Billing billing =
        Billing.builder()
            .store(InMemoryBillingStore.create())
            .clock(new TestClock(Instant.parse("2026-11-02T10:00:00Z")))
            .build();
    billing.credits().openAccount(OpenAccountRequest.builder(ACME, A, PICO).actor(ADMIN).build());
    BigInteger available = BigInteger.ZERO;
    int n = 0;
    for (Step s : steps) {
      String key = "k" + n++;
      switch (s.kind()) {
        case "grant" -> {
          BigInteger after = available.add(BigInteger.valueOf(s.first()));
          Object got = call(() -> billing.credits().grant(grant(s.first(), key)));
          if (after.bitLength() < Long.SIZE) {
            assertThat(got)
                .as("grant of %s onto %s", s.first(), available)
                .isNotInstanceOf(BillingException.class);
            available = after;
          } else {
            Statistics.label("grant").collect("refused: total beyond a long");
            assertThat(got).isInstanceOf(AmountOverflowException.class);
          }
        }
        case "charge" -> {
          Charge charge = Charge.usage("tokens", Amount.ofMinor(PICO, s.first()));
          Object quote = call(() -> billing.credits().quote(ACME, A, charge));
          assertThat(quote).isInstanceOf(ChargeQuote.class);
          long taken = Math.min(s.first(), available.longValueExact());
          assertThat(
                  ((ChargeQuote) quote)
                      .allocations().stream().mapToLong(a -> a.amount().minor()).sum())
              .isEqualTo(taken);
          Object got =
              call(
                  () ->
                      billing
                          .credits()
                          .charge(
                              ChargeRequest.builder(ACME, A, charge)
                                  .idempotencyKey(IdempotencyKey.of(key))
                                  .actor(ADMIN)
                                  .reason("usage")
                                  .build()));
          if (!(got instanceof BillingException)) {
            available = available.subtract(BigInteger.valueOf(taken));
          }
        }
        default -> {
          List<InvoiceLine> lines = new ArrayList<>();
          lines.add(InvoiceLine.usage("l1", "tokens", Amount.ofMinor(PICO, s.first())));
          lines.add(InvoiceLine.fixedFee("l2", "fee", Amount.ofMinor(PICO, s.second())));
          Object got =
              call(
                  () ->
                      billing
                          .invoiceCredits()
                          .apply(
                              InvoiceCreditRequest.builder(ACME, A, "inv-" + key)
                                  .lines(lines)
                                  .idempotencyKey(IdempotencyKey.of(key))
                                  .actor(ADMIN)
                                  .reason("invoice")
                                  .build()));
          boolean total =
              BigInteger.valueOf(s.first()).add(BigInteger.valueOf(s.second())).bitLength()
                  < Long.SIZE;
          Statistics.label("invoice").collect(total ? "applied" : "refused: lines beyond a long");
          if (!total) {
            assertThat(got).isInstanceOf(BillingException.class);
          } else {
            assertThat(got).isNotInstanceOf(BillingException.class);
            long applied = ((dev.billingsdk.credit.InvoiceCreditResult) got).applied().minor();
            available = available.subtract(BigInteger.valueOf(applied));
          }
        }
      }
      Object balance = call(() -> billing.credits().balance(ACME, A).available());
      assertThat(balance).isEqualTo(Amount.ofMinor(PICO, available.longValueExact()));
    }
  }

  private static GrantRequest grant(long minor, String key) {
    return GrantRequest.builder(ACME, A, Amount.ofMinor(PICO, minor))
        .idempotencyKey(IdempotencyKey.of(key))
        .actor(ADMIN)
        .reason("credits")
        .build();
  }

  /** The call's value, or the BillingException it threw; anything else fails the property. */
  private static Object call(Supplier<Object> call) {
    try {
      return call.get();
    } catch (BillingException e) {
      return e;
    } catch (RuntimeException e) {
      throw new AssertionError("an untyped exception escaped: " + e, e);
    }
  }

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<Long> minor =
        Arbitraries.frequencyOf(
            Tuple.of(
                2,
                Arbitraries.of(
                    1L,
                    Long.MAX_VALUE,
                    Long.MAX_VALUE - 1,
                    Long.MAX_VALUE / 2,
                    Long.MAX_VALUE / 2 + 1,
                    5_000_000_000_000_000_000L)),
            Tuple.of(1, Arbitraries.longs().between(1, Long.MAX_VALUE)));
    Arbitrary<Step> step =
        net.jqwik.api.Combinators.combine(
                Arbitraries.of("grant", "grant", "charge", "invoice"), minor, minor)
            .as(Step::new);
    return step.list().ofMinSize(1).ofMaxSize(6);
  }
}
