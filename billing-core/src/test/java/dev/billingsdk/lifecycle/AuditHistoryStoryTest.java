package dev.billingsdk.lifecycle;

import static dev.billingsdk.ledger.TransactionType.EXPIRY;
import static dev.billingsdk.ledger.TransactionType.GRANT;
import static dev.billingsdk.ledger.TransactionType.HOLD;
import static dev.billingsdk.ledger.TransactionType.RELEASE;
import static dev.billingsdk.ledger.TransactionType.REVERSAL;
import static dev.billingsdk.ledger.TransactionType.USAGE_DEBIT;
import static dev.billingsdk.ledger.TransactionType.VOID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.billingsdk.AccountId;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.credit.AccountNotFoundException;
import dev.billingsdk.credit.ChargeResult;
import dev.billingsdk.credit.GrantResult;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.credit.ReservationResult;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.TransactionFilter;
import dev.billingsdk.ledger.TransactionPage;
import dev.billingsdk.ledger.TransactionType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * An auditor reads an account's history: who did what and why, newest first, filtered by type or
 * time, a page at a time. The story plays one busy day (grants, usage, holds, a refund, a void, an
 * expiry, a forgotten hold) and then reads it back in every way.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AuditHistoryStoryTest extends LifecycleStory {
  static final Instant NOON = T0.plus(Duration.ofHours(12));
  static final LedgerAccount CONSUMED = LedgerAccount.counter(LedgerAccount.Kind.CONSUMED);

  GrantResult promo;
  GrantResult pack;

  @BeforeEach
  void a_busy_day_on_the_ai_labs_account() {
    start();
    openAccount(OverdraftPolicy.reject());
    // 00:00 finance grants a promotion ending at noon and a purchased pack.
    promo = grant(promo(500).priority(10).expiresAt(NOON));
    pack = grant(purchased(1000).priority(20));
    // 01:00 .. 03:00 the gateway posts usage, one debit an hour: 100, 200, 300.
    List<ChargeResult> hourly = new ArrayList<>();
    for (int hour = 1; hour <= 3; hour++) {
      clock.set(T0.plus(Duration.ofHours(hour)));
      hourly.add(use(100L * hour));
    }
    // 04:00 a hold for a long call, settled a minute later for less.
    clock.set(T0.plus(Duration.ofHours(4)));
    ReservationResult call = reserve(200, Duration.ofMinutes(5));
    clock.advance(Duration.ofMinutes(1));
    settle(call, 120);
    // 05:00 support refunds 50 of the 02:00 debit.
    clock.set(T0.plus(Duration.ofHours(5)));
    reverse(hourly.get(1).transaction().id(), 50);
    // 06:00 a hold the gateway forgets; it expires at 06:10 and is released by a read at 07:00.
    clock.set(T0.plus(Duration.ofHours(6)));
    reserve(30, Duration.ofMinutes(10));
    clock.set(T0.plus(Duration.ofHours(7)));
    balance();
    // 13:00 the nightly job expires the promotion's rest; finance voids a mistaken grant.
    clock.set(T0.plus(Duration.ofHours(13)));
    billing.sweeps().expireGrants(ACME, SWEEPER, false);
    GrantResult mistake = grant(promo(5));
    voidGrant(mistake);
  }

  static final List<TransactionType> THE_DAY =
      List.of(
          GRANT,
          GRANT,
          USAGE_DEBIT,
          USAGE_DEBIT,
          USAGE_DEBIT,
          HOLD,
          USAGE_DEBIT,
          REVERSAL,
          HOLD,
          RELEASE,
          EXPIRY,
          GRANT,
          VOID);

  TransactionPage page(TransactionFilter filter, Optional<String> cursor, int limit) {
    return billing.ledger().history(ACME, LAB, filter, cursor, limit);
  }

  /** Every transaction the filter keeps, read page by page. */
  List<LedgerTransaction> readAll(TransactionFilter filter, int limit) {
    List<LedgerTransaction> all = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    int pages = 0;
    do {
      TransactionPage page = page(filter, cursor, limit);
      assertThat(page.transactions()).hasSizeLessThanOrEqualTo(limit);
      if (page.next().isPresent()) {
        assertThat(page.transactions()).hasSize(limit);
      }
      all.addAll(page.transactions());
      cursor = page.next();
      assertThat(++pages).as("pagination ends").isLessThan(100);
    } while (cursor.isPresent());
    return all;
  }

  @Test
  void every_transaction_records_who_did_it_and_why() {
    assertThat(ledgerTypes()).containsExactlyElementsOf(THE_DAY);
    assertThat(ledger())
        .extracting(t -> t.type(), t -> t.actor().id(), LedgerTransaction::reason)
        .containsExactly(
            tuple(GRANT, "finance-fran", "finance adds credits"),
            tuple(GRANT, "finance-fran", "finance adds credits"),
            tuple(USAGE_DEBIT, "llm-gateway", "LLM usage"),
            tuple(USAGE_DEBIT, "llm-gateway", "LLM usage"),
            tuple(USAGE_DEBIT, "llm-gateway", "LLM usage"),
            tuple(HOLD, "llm-gateway", "before the LLM call"),
            tuple(USAGE_DEBIT, "llm-gateway", "the LLM call finished"),
            tuple(REVERSAL, "finance-fran", "customer complaint: bad completion"),
            tuple(HOLD, "llm-gateway", "before the LLM call"),
            tuple(RELEASE, "billing-reservation-expiry", "reservation passed its time-to-live"),
            tuple(EXPIRY, "nightly-sweeper", "grant expired"),
            tuple(GRANT, "finance-fran", "finance adds credits"),
            tuple(VOID, "finance-fran", "refunded outside billing"));
    assertThat(ledger()).allSatisfy(t -> assertThat(t.actor().roles()).isNotEmpty());
    assertThat(ledger().get(9).effectiveAt()).isEqualTo(T0.plus(Duration.ofMinutes(370)));
    assertThat(ledger().get(10).effectiveAt()).isEqualTo(NOON);
    // 1500 granted (and 5 voided), 720 used, 50 refunded, the promotion's last 50 expired.
    assertBalances(780, 780, 0, 0);
    assertThat(replay().consumed()).isEqualTo(670);
    assertThat(replay().expired()).isEqualTo(50);
    assertThat(replay().voided()).isEqualTo(5);
  }

  @Test
  void history_is_newest_first_and_pages_return_every_transaction_exactly_once() {
    List<LedgerTransaction> oldestFirst = ledger();
    List<LedgerTransaction> newestFirst = new ArrayList<>(oldestFirst);
    Collections.reverse(newestFirst);

    TransactionPage one = page(TransactionFilter.all(), Optional.empty(), 1000);
    assertThat(one.transactions()).containsExactlyElementsOf(newestFirst);
    assertThat(one.next()).isEmpty();

    for (int limit = 1; limit <= 14; limit++) {
      assertThat(readAll(TransactionFilter.all(), limit))
          .as("pages of %s", limit)
          .containsExactlyElementsOf(newestFirst);
    }
    // 13 transactions in pages of 13: one page and no cursor; of 12: two pages.
    assertThat(page(TransactionFilter.all(), Optional.empty(), 13).next()).isEmpty();
    TransactionPage first12 = page(TransactionFilter.all(), Optional.empty(), 12);
    assertThat(first12.next()).isPresent();
    TransactionPage last = page(TransactionFilter.all(), first12.next(), 12);
    assertThat(last.transactions()).containsExactly(oldestFirst.get(0));
    assertThat(last.next()).isEmpty();
  }

  @Test
  void a_cursor_keeps_its_place_while_new_transactions_arrive() {
    List<LedgerTransaction> before = new ArrayList<>(ledger());
    Collections.reverse(before);
    TransactionPage first = page(TransactionFilter.all(), Optional.empty(), 5);

    // While the auditor reads, the gateway keeps posting.
    clock.set(T0.plus(Duration.ofHours(14)));
    ChargeResult a = use(10);
    ChargeResult b = use(20);

    // The older pages go on where the first ended: nothing twice, nothing skipped.
    List<LedgerTransaction> seen = new ArrayList<>(first.transactions());
    Optional<String> cursor = first.next();
    while (cursor.isPresent()) {
      TransactionPage p = page(TransactionFilter.all(), cursor, 5);
      seen.addAll(p.transactions());
      cursor = p.next();
    }
    assertThat(seen).containsExactlyElementsOf(before);

    // A fresh read starts with the newest.
    assertThat(page(TransactionFilter.all(), Optional.empty(), 2).transactions())
        .containsExactly(b.transaction(), a.transaction());
  }

  @Test
  void history_filters_by_type_and_by_time_range() {
    List<LedgerTransaction> usage = readAll(TransactionFilter.all().types(USAGE_DEBIT), 2);
    assertThat(usage)
        .extracting(t -> t.recordedAt())
        .containsExactly(
            T0.plus(Duration.ofMinutes(241)),
            T0.plus(Duration.ofHours(3)),
            T0.plus(Duration.ofHours(2)),
            T0.plus(Duration.ofHours(1)));
    assertThat(usage).extracting(t -> t.minorOn(CONSUMED)).containsExactly(120L, 300L, 200L, 100L);

    assertThat(readAll(TransactionFilter.all().types(HOLD, RELEASE), 1))
        .extracting(LedgerTransaction::type)
        .containsExactly(RELEASE, HOLD, HOLD);
    assertThat(readAll(TransactionFilter.all().types(TransactionType.REFUND), 5)).isEmpty();

    // [02:00, 05:00): from is inclusive, until exclusive, on recordedAt.
    TransactionFilter morning =
        TransactionFilter.all().between(T0.plus(Duration.ofHours(2)), T0.plus(Duration.ofHours(5)));
    assertThat(readAll(morning, 2))
        .extracting(LedgerTransaction::type, LedgerTransaction::recordedAt)
        .containsExactly(
            tuple(USAGE_DEBIT, T0.plus(Duration.ofMinutes(241))),
            tuple(HOLD, T0.plus(Duration.ofHours(4))),
            tuple(USAGE_DEBIT, T0.plus(Duration.ofHours(3))),
            tuple(USAGE_DEBIT, T0.plus(Duration.ofHours(2))));

    // Both at once: the usage debits of that window.
    assertThat(readAll(morning.types(USAGE_DEBIT), 1)).hasSize(3);
    // The expiry is filed at 13:00 when it was recorded, though effective at noon.
    assertThat(readAll(TransactionFilter.all().between(NOON, T0.plus(Duration.ofHours(13))), 10))
        .isEmpty();
    assertThat(
            readAll(
                TransactionFilter.all()
                    .types(EXPIRY)
                    .between(T0.plus(Duration.ofHours(13)), T0.plus(Duration.ofHours(14))),
                10))
        .extracting(LedgerTransaction::effectiveAt)
        .containsExactly(NOON);
  }

  @Test
  void bad_cursors_limits_and_filters_are_refused_naming_the_field() {
    assertThat(refusedHistory(TransactionFilter.all(), Optional.of("garbage"), 10).field())
        .isEqualTo("cursor");
    assertThat(refusedHistory(TransactionFilter.all(), Optional.of("h1.!!!"), 10).field())
        .isEqualTo("cursor");
    InvalidRequestException negative =
        refusedHistory(TransactionFilter.all(), Optional.of(cursorOf("-1")), 10);
    assertThat(negative.field()).isEqualTo("cursor");
    assertThat(negative.value()).isEqualTo(cursorOf("-1"));
    assertThat(refusedHistory(TransactionFilter.all(), Optional.of(cursorOf("ten")), 10).field())
        .isEqualTo("cursor");

    InvalidRequestException zero = refusedHistory(TransactionFilter.all(), Optional.empty(), 0);
    assertThat(zero.field()).isEqualTo("limit");
    assertThat(zero.value()).isEqualTo("0");
    InvalidRequestException tooMany =
        refusedHistory(TransactionFilter.all(), Optional.empty(), 1001);
    assertThat(tooMany.field()).isEqualTo("limit");
    assertThat(tooMany.value()).isEqualTo("1001");
    assertThat(refusedHistory(null, Optional.empty(), 10).field()).isEqualTo("filter");

    InvalidRequestException backwards =
        catchThrowableOfType(
            InvalidRequestException.class, () -> TransactionFilter.all().between(NOON, T0));
    assertThat(backwards.field()).isEqualTo("until");

    AccountNotFoundException unknown =
        catchThrowableOfType(
            AccountNotFoundException.class,
            () ->
                billing
                    .ledger()
                    .history(
                        ACME,
                        AccountId.of("nobody"),
                        TransactionFilter.all(),
                        Optional.empty(),
                        10));
    assertThat(unknown).isNotNull();

    // A cursor the library returned works, of course.
    TransactionPage first = page(TransactionFilter.all(), Optional.empty(), 4);
    assertThat(first.next()).get().asString().startsWith("h1.");
  }

  static String cursorOf(String digits) {
    return "h1."
        + Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(digits.getBytes(StandardCharsets.US_ASCII));
  }

  InvalidRequestException refusedHistory(
      TransactionFilter filter, Optional<String> cursor, int limit) {
    InvalidRequestException e =
        catchThrowableOfType(
            InvalidRequestException.class,
            () -> billing.ledger().history(ACME, LAB, filter, cursor, limit));
    assertThat(e).as("expected the history request to be refused").isNotNull();
    return e;
  }
}
