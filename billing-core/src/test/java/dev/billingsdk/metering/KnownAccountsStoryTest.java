package dev.billingsdk.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.AccountId;
import dev.billingsdk.credit.AccountNotFoundException;
import dev.billingsdk.setup.Billing;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.MeteringStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * An ingest checks that each account it names exists, and remembers the accounts it found: on a
 * database each check is a round trip, and a batch of a thousand events over a hundred accounts
 * paid a hundred of them on every call. Accounts are never deleted, so only found accounts are
 * remembered; an unknown account is looked up, and refused, every time.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KnownAccountsStoryTest extends DeductionStory {
  static final String TOKENS = "llm-tokens";
  static final Instant MONDAY = at("2026-11-02T10:00:00Z");

  final AtomicInteger lookups = new AtomicInteger();
  Billing counted;
  AccountId team;

  @BeforeEach
  void startTheWeek() {
    start(MONDAY, hourly(TOKENS, "0.001"));
    team = open("team-labs");
    define(Meter.builder(ACME, TOKENS, Aggregation.SUM).unit("tokens").build());
    // The same store, with its account look-ups counted.
    Object proxy =
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {BillingStore.class, MeteringStore.class},
            (p, method, args) -> {
              if (method.getName().equals("findAccount")) {
                lookups.incrementAndGet();
              }
              try {
                return method.invoke(store, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
    counted = billingOn((BillingStore) proxy);
  }

  List<UsageEvent> hour(String prefix, AccountId account, int events) {
    List<UsageEvent> batch = new ArrayList<>();
    for (int i = 0; i < events; i++) {
      batch.add(usage(prefix + i, account, TOKENS, "10", MONDAY.minusSeconds(60 + i), Map.of()));
    }
    return batch;
  }

  @Test
  void an_account_found_once_is_not_looked_up_again() {
    counted.metering().ingest(hour("a-", team, 5), COLLECTOR);
    assertThat(lookups).as("one look-up for five events of one account").hasValue(1);

    counted.metering().ingest(hour("b-", team, 5), COLLECTOR);
    counted.metering().ingest(hour("c-", team, 1).get(0), COLLECTOR);
    assertThat(lookups).as("none for the later ingests").hasValue(1);
    assertThat(store.lateUsage(ACME, team, TOKENS, 0, Long.MAX_VALUE, MONDAY, 100)).hasSize(11);
  }

  @Test
  void an_unknown_account_is_looked_up_and_refused_every_time() {
    AccountId ghost = AccountId.of("ghost");
    for (int attempt = 1; attempt <= 3; attempt++) {
      assertThatThrownBy(() -> counted.metering().ingest(hour("g-", ghost, 2), COLLECTOR))
          .isInstanceOf(AccountNotFoundException.class);
      assertThat(lookups).as("attempt %d", attempt).hasValue(attempt);
    }
    // Once it exists, it is found, and then remembered.
    open("ghost");
    counted.metering().ingest(hour("g-", ghost, 2), COLLECTOR);
    counted.metering().ingest(hour("h-", ghost, 2), COLLECTOR);
    assertThat(lookups).hasValue(4);
  }
}
