package dev.billingsdk.batch;

import static dev.billingsdk.batch.ChargeBatchWorld.ADMIN;
import static dev.billingsdk.batch.ChargeBatchWorld.TENANT;
import static dev.billingsdk.batch.ChargeBatchWorld.TOKENS;
import static dev.billingsdk.batch.ChargeBatchWorld.USER;
import static dev.billingsdk.batch.ChargeBatchWorld.charge;
import static dev.billingsdk.batch.ChargeBatchWorld.credits;
import static dev.billingsdk.batch.ChargeBatchWorld.usage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.billingsdk.AccessDeniedException;
import dev.billingsdk.AccountId;
import dev.billingsdk.BillingException;
import dev.billingsdk.IdGenerator;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.credit.AccountNotFoundException;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.ChargeOutcome;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.Credits;
import dev.billingsdk.credit.InsufficientCreditException;
import dev.billingsdk.credit.LowBalanceAlert;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.credit.Scope;
import dev.billingsdk.ledger.IdempotencyConflictException;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.UnitMismatchException;
import dev.billingsdk.setup.Billing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The rules of {@code Credits.chargeAll}, each against sequential charges in a twin world. */
class ChargeAllStoryTest {
  static final AccountId LAB = AccountId.of("ai-lab");
  static final AccountId OPS = AccountId.of("ops");
  static final AccountId GHOST = AccountId.of("ghost");

  /** The same accounts and grants in a world: mixed priorities, an expiry, a scope, an alert. */
  static void setUp(ChargeBatchWorld w) {
    w.open(LAB.value(), OverdraftPolicy.allowDownTo(credits(50)));
    w.open(OPS.value(), OverdraftPolicy.partial());
    w.grant(LAB, 100, b -> b.priority(5));
    w.grant(LAB, 80, b -> b.priority(1).expiresAt(ChargeBatchWorld.T0.plus(Duration.ofDays(3))));
    w.grant(LAB, 60, b -> b.priority(1).scope(Scope.allFixedFees()));
    w.grant(OPS, 120, b -> {});
    w.credits()
        .configureLowBalanceAlert(
            TENANT, LAB, Optional.of(LowBalanceAlert.below(credits(100))), ADMIN);
    w.store.reset();
    w.events.clear();
  }

  /** chargeAll in one world, sequential charges in another: same outcomes, ledgers and events. */
  static List<ChargeOutcome> assertSameAsSequential(
      Consumer<ChargeBatchWorld> setup, List<ChargeRequest> requests) {
    ChargeBatchWorld batched = new ChargeBatchWorld();
    ChargeBatchWorld sequential = new ChargeBatchWorld();
    setup.accept(batched);
    setup.accept(sequential);
    List<ChargeOutcome> got = batched.credits().chargeAll(requests);
    List<ChargeOutcome> want = sequential.sequentially(requests);
    assertThat(got.stream().map(ChargeBatchWorld::describe))
        .containsExactlyElementsOf(want.stream().map(ChargeBatchWorld::describe).toList());
    for (AccountId a : List.of(LAB, OPS)) {
      assertThat(batched.ledgerOf(a)).as("ledger of %s", a).isEqualTo(sequential.ledgerOf(a));
    }
    assertThat(batched.eventsHeard()).isEqualTo(sequential.eventsHeard());
    assertThat(batched.store.commits.get()).as("store commits of the batch").isLessThanOrEqualTo(1);
    return got;
  }

  @Test
  @DisplayName("many charges on several accounts commit with one store call, as if one by one")
  void oneCommit() {
    List<ChargeRequest> requests = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      requests.add(usage(i % 3 == 0 ? OPS : LAB, "u-" + i, 9));
    }
    requests.add(charge(LAB, "fee", ChargeKind.FIXED_FEE, "seat", 70));
    List<ChargeOutcome> got = assertSameAsSequential(ChargeAllStoryTest::setUp, requests);
    assertThat(got).hasSize(13).allMatch(ChargeOutcome::charged);
    assertThat(got.get(12).result().allocations()).hasSize(3); // expiring, scoped, then the rest
  }

  @Test
  @DisplayName("orThrow gives a charged request's result and throws a refused one's own reason")
  void orThrow() {
    ChargeBatchWorld w = new ChargeBatchWorld();
    setUp(w);
    List<ChargeOutcome> got =
        w.credits().chargeAll(List.of(usage(LAB, "fits", 30), usage(LAB, "too-much", 10_000)));

    assertThat(got.get(0).orThrow().charged()).isEqualTo(credits(30));
    assertThat(got.get(0).orThrow()).isSameAs(got.get(0).result());
    BillingException reason = ((ChargeOutcome.Refused) got.get(1)).reason();
    assertThat(reason).isInstanceOf(InsufficientCreditException.class);
    assertThat(catchThrowable(() -> got.get(1).orThrow())).isSameAs(reason);
    assertThat(catchThrowable(() -> got.get(1).result())).isSameAs(reason);
  }

  @Test
  @DisplayName("an empty list writes nothing and answers nothing")
  void empty() {
    ChargeBatchWorld w = new ChargeBatchWorld();
    setUp(w);
    assertThat(w.credits().chargeAll(List.of())).isEmpty();
    assertThat(w.store.commits).hasValue(0);
  }

  @Test
  @DisplayName("malformed input refuses the whole call, naming the field, and writes nothing")
  void malformed() {
    ChargeBatchWorld w = new ChargeBatchWorld();
    setUp(w);
    String before = w.ledgerOf(LAB) + w.ledgerOf(OPS);

    InvalidRequestException nullList =
        catchThrowableOfType(InvalidRequestException.class, () -> w.credits().chargeAll(null));
    assertThat(nullList.field()).isEqualTo("requests");

    List<ChargeRequest> withNull = Arrays.asList(usage(LAB, "a", 1), null, usage(OPS, "b", 1));
    InvalidRequestException nullElement =
        catchThrowableOfType(InvalidRequestException.class, () -> w.credits().chargeAll(withNull));
    assertThat(nullElement.field()).isEqualTo("requests[1]");
    assertThat(nullElement.value()).isEqualTo("null");

    List<ChargeRequest> tooMany = new ArrayList<>();
    for (int i = 0; i <= Credits.MAX_BATCH; i++) {
      tooMany.add(usage(LAB, "m-" + i, 1));
    }
    InvalidRequestException overSize =
        catchThrowableOfType(InvalidRequestException.class, () -> w.credits().chargeAll(tooMany));
    assertThat(overSize.field()).isEqualTo("requests");
    assertThat(overSize.value()).contains("1001");

    assertThat(w.ledgerOf(LAB) + w.ledgerOf(OPS)).isEqualTo(before);
    assertThat(w.store.commits).hasValue(0);
    assertThat(w.events).isEmpty();
  }

  @Test
  @DisplayName("exactly the maximum batch size is accepted")
  void maximum() {
    ChargeBatchWorld w = new ChargeBatchWorld();
    setUp(w);
    w.grant(OPS, 10_000, b -> {});
    w.store.reset();
    List<ChargeRequest> max = new ArrayList<>();
    for (int i = 0; i < Credits.MAX_BATCH; i++) {
      max.add(usage(OPS, "max-" + i, 1));
    }
    assertThat(w.credits().chargeAll(max))
        .hasSize(Credits.MAX_BATCH)
        .allMatch(ChargeOutcome::charged);
    assertThat(w.store.commits).hasValue(1);
  }

  @Test
  @DisplayName("an actor the policy refuses refuses the whole call before anything is written")
  void accessDenied() {
    ChargeBatchWorld w = new ChargeBatchWorld();
    setUp(w);
    String before = w.ledgerOf(LAB) + w.ledgerOf(OPS);
    ChargeRequest byUser =
        ChargeRequest.builder(TENANT, OPS, Charge.usage("tokens", credits(5)))
            .idempotencyKey(IdempotencyKey.of("x"))
            .actor(USER)
            .reason("use")
            .build();
    List<ChargeRequest> requests = List.of(usage(LAB, "a", 5), byUser);
    assertThat(
            catchThrowableOfType(
                AccessDeniedException.class, () -> w.credits().chargeAll(requests)))
        .isNotNull();
    assertThat(w.ledgerOf(LAB) + w.ledgerOf(OPS)).isEqualTo(before);
    assertThat(w.store.commits).hasValue(0);
    assertThat(w.events).isEmpty();
  }

  @Test
  @DisplayName("a refused request is its own outcome; the others are charged")
  void refusalsAreLocal() {
    ChargeRequest inTokens =
        ChargeRequest.builder(TENANT, OPS, Charge.usage("tokens", Amount.ofMinor(TOKENS, 3)))
            .idempotencyKey(IdempotencyKey.of("tok"))
            .actor(ADMIN)
            .reason("use")
            .build();
    List<ChargeRequest> requests =
        List.of(
            usage(LAB, "a", 30),
            usage(LAB, "too-much", 10_000),
            usage(GHOST, "ghost", 1),
            inTokens,
            usage(LAB, "b", 30),
            usage(OPS, "c", 200));
    List<ChargeOutcome> got = assertSameAsSequential(ChargeAllStoryTest::setUp, requests);
    assertThat(got.get(0).charged()).isTrue();
    assertThat(((ChargeOutcome.Refused) got.get(1)).reason())
        .isInstanceOf(InsufficientCreditException.class);
    assertThat(((ChargeOutcome.Refused) got.get(2)).reason())
        .isInstanceOf(AccountNotFoundException.class);
    assertThat(((ChargeOutcome.Refused) got.get(3)).reason())
        .isInstanceOf(UnitMismatchException.class);
    assertThat(got.get(4).charged()).isTrue();
    assertThat(got.get(5).result().shortfall().minor()).isEqualTo(80); // partial policy
  }

  @Test
  @DisplayName("a key committed before is replayed, or a conflict if the payload differs")
  void keysCommittedBefore() {
    Consumer<ChargeBatchWorld> setup =
        w -> {
          setUp(w);
          w.credits().charge(usage(LAB, "old", 20));
          w.store.reset();
          w.events.clear();
        };
    List<ChargeOutcome> got =
        assertSameAsSequential(
            setup, List.of(usage(LAB, "old", 20), usage(LAB, "old", 21), usage(LAB, "new", 5)));
    assertThat(got.get(0).result().replayed()).isTrue();
    assertThat(((ChargeOutcome.Refused) got.get(1)).reason())
        .isInstanceOf(IdempotencyConflictException.class);
    assertThat(got.get(2).result().replayed()).isFalse();
  }

  @Test
  @DisplayName("the same key twice in one list is charged once: a replay, or a conflict")
  void keysTwiceInOneList() {
    List<ChargeOutcome> got =
        assertSameAsSequential(
            ChargeAllStoryTest::setUp,
            List.of(
                usage(LAB, "k", 40),
                usage(OPS, "k", 40), // same key, another account: a different payload
                usage(LAB, "k", 40),
                usage(LAB, "k", 41)));
    assertThat(got.get(0).result().replayed()).isFalse();
    assertThat(((ChargeOutcome.Refused) got.get(1)).reason())
        .isInstanceOf(IdempotencyConflictException.class);
    assertThat(got.get(2).result().replayed()).isTrue();
    assertThat(got.get(2).result().transaction().id())
        .isEqualTo(got.get(0).result().transaction().id());
    assertThat(((ChargeOutcome.Refused) got.get(3)).reason())
        .isInstanceOf(IdempotencyConflictException.class);
  }

  @Test
  @DisplayName("a key whose first use was refused is decided afresh later in the list")
  void keyRefusedFirst() {
    List<ChargeOutcome> got =
        assertSameAsSequential(
            ChargeAllStoryTest::setUp,
            List.of(usage(LAB, "k", 10_000), usage(LAB, "k", 10), usage(LAB, "k", 10)));
    assertThat(got.get(0).charged()).isFalse();
    assertThat(got.get(1).result().replayed()).isFalse();
    assertThat(got.get(2).result().replayed()).isTrue();
  }

  @Test
  @DisplayName("one account's requests see the earlier ones: order, overdraft and alerts")
  void sameAccountInOrder() {
    List<ChargeRequest> requests = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      requests.add(usage(LAB, "u-" + i, 35)); // 180 usable + 50 overdraft: the 7th is refused
    }
    requests.add(charge(LAB, "fee", ChargeKind.FIXED_FEE, "seat", 60));
    List<ChargeOutcome> got = assertSameAsSequential(ChargeAllStoryTest::setUp, requests);
    assertThat(got.stream().filter(ChargeOutcome::charged)).hasSize(7);
    assertThat(got.get(5).result().fromOverdraft().minor()).isEqualTo(30);
  }

  @Test
  @DisplayName("another writer slipping in before the commit: the account is re-decided")
  void versionConflictMidBatch() {
    ChargeBatchWorld w = new ChargeBatchWorld();
    setUp(w);
    Billing other =
        Billing.builder().store(w.store.real).clock(w.clock).ids(IdGenerator.randomUuids()).build();
    boolean[] once = {true};
    w.store.beforeBatch =
        writes -> {
          if (once[0]) {
            once[0] = false;
            other.credits().charge(usage(LAB, "sneaky", 150));
          }
          return writes;
        };
    List<ChargeRequest> requests =
        List.of(
            usage(OPS, "o1", 10), usage(LAB, "l1", 40), usage(LAB, "l2", 40), usage(OPS, "o2", 5));
    List<ChargeOutcome> got = w.credits().chargeAll(requests);

    ChargeBatchWorld twin = new ChargeBatchWorld();
    setUp(twin);
    twin.credits().charge(usage(LAB, "sneaky", 150));
    twin.store.reset();
    twin.events.clear();
    List<ChargeOutcome> want = twin.sequentially(requests);
    assertThat(got.stream().map(ChargeBatchWorld::describe))
        .containsExactlyElementsOf(want.stream().map(ChargeBatchWorld::describe).toList());
    assertThat(w.ledgerOf(LAB)).isEqualTo(twin.ledgerOf(LAB));
    assertThat(w.ledgerOf(OPS)).isEqualTo(twin.ledgerOf(OPS));
    assertThat(w.store.commits).as("the batch, then the re-decided account").hasValue(2);
    // 180 usable - 150 taken by the other writer: l1 pays 30 + 10 overdraft, l2 all from overdraft
    assertThat(got.get(2).result().fromOverdraft().minor()).isEqualTo(40);
  }
}
