package dev.billingsdk.tck;

import dev.billingsdk.AccessPolicy;
import dev.billingsdk.AccountId;
import dev.billingsdk.Actor;
import dev.billingsdk.Billing;
import dev.billingsdk.IdGenerator;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Account;
import dev.billingsdk.credit.Charge;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.ChargeResult;
import dev.billingsdk.credit.Credits;
import dev.billingsdk.credit.GrantRequest;
import dev.billingsdk.credit.GrantResult;
import dev.billingsdk.credit.OpenAccountRequest;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.Posting;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.spi.BillingStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** One test's world: a store, a fresh tenant in it, a hand-moved clock and the services. */
public final class TckFixture {
  public static final CreditUnit CREDIT = CreditUnit.of("CREDIT", 2);
  public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  public static final Actor ADMIN = Actor.of("tck-admin", Role.ADMIN);

  public final BillingStore store;
  public final TenantId tenant;
  public final TckClock clock;
  public final Billing billing;
  private final AtomicLong keys = new AtomicLong();

  public TckFixture(BillingStore store) {
    this.store = store;
    this.tenant = TenantId.of("tck-" + UUID.randomUUID());
    this.clock = new TckClock(START);
    this.billing =
        Billing.builder()
            .store(store)
            .clock(clock)
            .ids(IdGenerator.randomUuids())
            .accessPolicy(AccessPolicy.allowAll())
            .maxAttempts(10_000)
            .build();
  }

  public Credits credits() {
    return billing.credits();
  }

  public static Amount credits(long minor) {
    return Amount.ofMinor(CREDIT, minor);
  }

  public AccountId open(String name, OverdraftPolicy policy) {
    AccountId id = AccountId.of(name);
    credits()
        .openAccount(OpenAccountRequest.of(tenant, id, CREDIT, ADMIN).withOverdraftPolicy(policy));
    return id;
  }

  public AccountId open(String name) {
    return open(name, OverdraftPolicy.reject());
  }

  public IdempotencyKey nextKey() {
    return IdempotencyKey.of("k-" + keys.incrementAndGet());
  }

  public GrantResult grant(AccountId account, long minor, Consumer<GrantRequest.Builder> terms) {
    GrantRequest.Builder b =
        GrantRequest.builder(tenant, account, credits(minor))
            .idempotencyKey(nextKey())
            .actor(ADMIN)
            .reason("tck grant");
    terms.accept(b);
    return credits().grant(b.build());
  }

  public GrantResult grant(AccountId account, long minor) {
    return grant(account, minor, b -> {});
  }

  public ChargeRequest chargeRequest(AccountId account, ChargeKind kind, String item, long minor) {
    return ChargeRequest.of(
        tenant, account, Charge.of(kind, item, credits(minor)), nextKey(), ADMIN, "tck charge");
  }

  public ChargeResult charge(AccountId account, ChargeKind kind, String item, long minor) {
    return credits().charge(chargeRequest(account, kind, item, minor));
  }

  public ChargeResult usage(AccountId account, long minor) {
    return charge(account, ChargeKind.USAGE, "tokens", minor);
  }

  public StoreState state(AccountId account) {
    return StoreState.of(store, tenant, account);
  }

  public long remaining(GrantResult grant) {
    return store.findGrant(tenant, grant.grant().id()).orElseThrow().remaining().minor();
  }

  public Account account(AccountId account) {
    return store.findAccount(tenant, account).orElseThrow();
  }

  /**
   * A raw usage-debit transaction on one grant, built by hand for store-level tests (the SPI must
   * refuse bad writes itself, whatever a service decides).
   */
  public LedgerTransaction rawDebit(
      AccountId account, GrantResult grant, long minor, IdempotencyKey key) {
    return raw(account, key, LedgerAccount.grant(grant.grant().id()), minor);
  }

  /** A raw transaction that only moves the account's overdraft. */
  public LedgerTransaction rawOverdraft(AccountId account, long minor, IdempotencyKey key) {
    return raw(account, key, LedgerAccount.counter(LedgerAccount.Kind.OVERDRAFT), minor);
  }

  /** A usage debit of {@code minor} from {@code from} to CONSUMED. */
  private LedgerTransaction raw(
      AccountId account, IdempotencyKey key, LedgerAccount from, long minor) {
    return new LedgerTransaction(
        TransactionId.of("raw-" + UUID.randomUUID()),
        tenant,
        account,
        TransactionType.USAGE_DEBIT,
        key,
        "sha256:raw-" + key,
        ADMIN,
        "tck raw debit",
        clock.instant(),
        List.of(
            Posting.of(from, credits(-minor)),
            Posting.of(LedgerAccount.counter(LedgerAccount.Kind.CONSUMED), credits(minor))),
        Map.of(),
        store.nextSequence());
  }

  public long version(AccountId account) {
    return store.loadAccount(tenant, account).orElseThrow().version();
  }

  public void assertConsistent(AccountId account) {
    LedgerChecks.assertConsistent(store, tenant, account);
  }
}
