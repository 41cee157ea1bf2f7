package dev.billingsdk.testkit;

import dev.billingsdk.AccountId;
import dev.billingsdk.GrantId;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Account;
import dev.billingsdk.credit.AccountBalance;
import dev.billingsdk.credit.GrantBalance;
import dev.billingsdk.credit.GrantCategory;
import dev.billingsdk.credit.OverdraftPolicy;
import dev.billingsdk.ledger.LedgerAccount;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.Posting;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.ledger.TransactionType;
import dev.billingsdk.money.Amount;
import dev.billingsdk.setup.Billing;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The ledger's rules, checked on one account after a test's own scenario: call {@link
 * #assertConsistent(Billing, TenantId, AccountId)} once the scenario has run, and it throws a
 * {@link LedgerCheckFailure} (an {@link AssertionError}) naming the first {@link LedgerRule} it
 * finds broken and the values that disagree, or returns quietly.
 *
 * <pre>{@code
 * billing.credits().charge(myHostCode.chargeFor(usage));
 * LedgerChecks.assertConsistent(billing, tenant, account);
 * }</pre>
 *
 * <p>The rules are checked in the order of {@link LedgerRule}, from what the library's public API
 * returns (see {@link LedgerView#of}); nothing here reaches into the library's internals or the
 * store, so the checks hold for any store behind the {@link Billing}. Run them while nothing else
 * writes to the account.
 */
public final class LedgerChecks {
  private LedgerChecks() {}

  /**
   * Checks every rule on the account as {@code billing} reports it.
   *
   * @throws LedgerCheckFailure naming the first rule found broken
   */
  public static void assertConsistent(Billing billing, TenantId tenant, AccountId account) {
    assertConsistent(LedgerView.of(billing, tenant, account));
  }

  /**
   * Checks every rule on {@code view} ({@link LedgerRule#BALANCE} only if it has a balance).
   *
   * @throws LedgerCheckFailure naming the first rule found broken
   */
  public static void assertConsistent(LedgerView view) {
    assertRules(view, EnumSet.allOf(LedgerRule.class));
  }

  /**
   * Checks only {@code rules} on {@code view}, in the order of {@link LedgerRule}: for a test that
   * should tell one broken rule from another.
   *
   * @throws LedgerCheckFailure naming the first of {@code rules} found broken
   */
  public static void assertRules(LedgerView view, Set<LedgerRule> rules) {
    Objects.requireNonNull(view, "view");
    Objects.requireNonNull(rules, "rules");
    new Check(view, rules).run();
  }

  /** One run of the checks over one view. */
  private static final class Check {
    private static final LedgerAccount RESERVED =
        LedgerAccount.counter(LedgerAccount.Kind.RESERVED);
    private static final LedgerAccount OVERDRAFT =
        LedgerAccount.counter(LedgerAccount.Kind.OVERDRAFT);
    private static final LedgerAccount CONSUMED =
        LedgerAccount.counter(LedgerAccount.Kind.CONSUMED);

    private final LedgerView view;
    private final Set<LedgerRule> rules;
    private final Account account;

    /** The balance of every ledger account after the whole ledger, in minor units. */
    private final Map<LedgerAccount, Long> replay = new HashMap<>();

    /** Where the replay first took RESERVED below zero, if it did. */
    private @Nullable String reservedWentNegative;

    Check(LedgerView view, Set<LedgerRule> rules) {
      this.view = view;
      this.rules = rules;
      this.account = view.account();
    }

    void run() {
      checkTransactions();
      if (rules.contains(LedgerRule.REPLAY)) {
        checkReplay();
      }
      if (rules.contains(LedgerRule.WITHIN_POLICY)) {
        checkPolicy();
      }
      if (rules.contains(LedgerRule.CONSERVATION)) {
        checkConservation();
      }
      if (rules.contains(LedgerRule.BALANCE) && view.balance().isPresent()) {
        checkBalance(view.balance().get());
      }
      if (rules.contains(LedgerRule.REVERSALS)) {
        checkReversals();
      }
    }

    private LedgerCheckFailure broken(LedgerRule rule, String detail) {
      return new LedgerCheckFailure(rule, account.tenant(), account.id(), detail);
    }

    private Amount amount(long minor) {
      return Amount.ofMinor(account.unit(), minor);
    }

    private long replayed(LedgerAccount a) {
      return replay.getOrDefault(a, 0L);
    }

    private long replayed(LedgerAccount.Kind counter) {
      return replayed(LedgerAccount.counter(counter));
    }

    /** WELL_FORMED and BALANCED, transaction by transaction, replaying the postings as it goes. */
    private void checkTransactions() {
      boolean wellFormed = rules.contains(LedgerRule.WELL_FORMED);
      boolean balanced = rules.contains(LedgerRule.BALANCED);
      Set<TransactionId> ids = new HashSet<>();
      Set<String> keys = new HashSet<>();
      long previousSequence = Long.MIN_VALUE;
      for (LedgerTransaction t : view.transactions()) {
        if (wellFormed) {
          if (!t.tenant().equals(account.tenant()) || !t.account().equals(account.id())) {
            throw broken(
                LedgerRule.WELL_FORMED,
                "transaction " + t.id() + " belongs to " + t.tenant() + "/" + t.account());
          }
          if (!ids.add(t.id())) {
            throw broken(LedgerRule.WELL_FORMED, "transaction id " + t.id() + " appears twice");
          }
          if (!keys.add(t.idempotencyKey().value())) {
            throw broken(
                LedgerRule.WELL_FORMED,
                "idempotency key " + t.idempotencyKey() + " posted twice (" + t.id() + ")");
          }
          if (t.sequence() <= previousSequence) {
            throw broken(
                LedgerRule.WELL_FORMED,
                "transaction "
                    + t.id()
                    + " has sequence "
                    + t.sequence()
                    + ", not after "
                    + previousSequence);
          }
          previousSequence = t.sequence();
        }
        long sum = 0;
        for (Posting p : t.postings()) {
          if (balanced && !p.amount().unit().equals(account.unit())) {
            throw broken(
                LedgerRule.BALANCED,
                "transaction "
                    + t.id()
                    + " posts "
                    + p.amount()
                    + " on "
                    + p.account()
                    + " in an account kept in "
                    + account.unit().code());
          }
          sum = Math.addExact(sum, p.amount().minor());
          replay.merge(p.account(), p.amount().minor(), Math::addExact);
        }
        // LedgerTransaction refuses unbalanced postings when built, so this is a second line.
        if (balanced && sum != 0) {
          throw broken(LedgerRule.BALANCED, "postings of " + t.id() + " sum to " + amount(sum));
        }
        if (reservedWentNegative == null && replayed(RESERVED) < 0) {
          reservedWentNegative =
              "RESERVED is " + amount(replayed(RESERVED)) + " after transaction " + t.id();
        }
      }
    }

    private void checkReplay() {
      if (reservedWentNegative != null) {
        throw broken(LedgerRule.REPLAY, reservedWentNegative);
      }
      for (GrantBalance g : view.grants()) {
        long fromLedger = replayed(LedgerAccount.grant(g.grant().id()));
        if (g.remaining().minor() != fromLedger) {
          throw broken(
              LedgerRule.REPLAY,
              "grant "
                  + g.grant().id()
                  + " has "
                  + g.remaining()
                  + " remaining, but its postings sum to "
                  + amount(fromLedger));
        }
      }
      if (view.reserved().minor() != replayed(RESERVED)) {
        throw broken(
            LedgerRule.REPLAY,
            "reserved is "
                + view.reserved()
                + ", but RESERVED postings sum to "
                + amount(replayed(RESERVED)));
      }
      if (view.owed().minor() != -replayed(OVERDRAFT)) {
        throw broken(
            LedgerRule.REPLAY,
            "owed is "
                + view.owed()
                + ", but OVERDRAFT postings sum to "
                + amount(replayed(OVERDRAFT)));
      }
    }

    private void checkPolicy() {
      for (GrantBalance g : view.grants()) {
        if (g.remaining().isNegative() || g.remaining().compareTo(g.grant().amount()) > 0) {
          throw broken(
              LedgerRule.WITHIN_POLICY,
              "grant "
                  + g.grant().id()
                  + " has "
                  + g.remaining()
                  + " remaining, outside 0 to its amount "
                  + g.grant().amount());
        }
      }
      if (view.reserved().isNegative()) {
        throw broken(LedgerRule.WITHIN_POLICY, "reserved is " + view.reserved());
      }
      OverdraftPolicy policy = account.overdraftPolicy();
      long limit = policy instanceof OverdraftPolicy.Limit l ? l.limit().minor() : 0L;
      if (view.owed().isNegative() || view.owed().minor() > limit) {
        throw broken(
            LedgerRule.WITHIN_POLICY,
            "owed is "
                + view.owed()
                + ", but the overdraft policy ("
                + policy
                + ") allows 0 to "
                + amount(limit));
      }
    }

    private void checkConservation() {
      long side =
          Math.subtractExact(
              Math.addExact(sumRemaining(), view.reserved().minor()), view.owed().minor());
      long issued = -replayed(LedgerAccount.Kind.ISSUED);
      long out =
          Math.addExact(
              Math.addExact(
                  replayed(LedgerAccount.Kind.CONSUMED), replayed(LedgerAccount.Kind.VOIDED)),
              replayed(LedgerAccount.Kind.EXPIRED));
      if (side != issued - out) {
        throw broken(
            LedgerRule.CONSERVATION,
            "grants "
                + amount(sumRemaining())
                + " + reserved "
                + view.reserved()
                + " - owed "
                + view.owed()
                + " = "
                + amount(side)
                + ", but issued "
                + amount(issued)
                + " - consumed, voided and expired "
                + amount(out)
                + " = "
                + amount(issued - out));
      }
    }

    private long sumRemaining() {
      long sum = 0;
      for (GrantBalance g : view.grants()) {
        sum = Math.addExact(sum, g.remaining().minor());
      }
      return sum;
    }

    private void checkBalance(AccountBalance b) {
      long expectedTotal =
          Math.subtractExact(Math.addExact(sumRemaining(), b.reserved().minor()), b.owed().minor());
      if (b.total().minor() != expectedTotal) {
        throw broken(
            LedgerRule.BALANCE,
            "total is "
                + b.total()
                + ", but the grants' remaining + reserved - owed is "
                + amount(expectedTotal));
      }
      long available = 0;
      Map<GrantId, Amount> live = new HashMap<>();
      for (GrantBalance g : view.grants()) {
        if (g.isAvailableAt(b.at())) {
          available = Math.addExact(available, g.remaining().minor());
        }
        if (!g.remaining().isZero()) {
          live.put(g.grant().id(), g.remaining());
        }
      }
      if (b.available().minor() != available) {
        throw broken(
            LedgerRule.BALANCE,
            "available is "
                + b.available()
                + ", but the grants available at "
                + b.at()
                + " hold "
                + amount(available));
      }
      long byCategory = 0;
      for (Map.Entry<GrantCategory, Amount> c : b.availableByCategory().entrySet()) {
        if (c.getValue().isNegative()) {
          throw broken(LedgerRule.BALANCE, "available in " + c.getKey() + " is " + c.getValue());
        }
        byCategory = Math.addExact(byCategory, c.getValue().minor());
      }
      if (byCategory != available) {
        throw broken(
            LedgerRule.BALANCE,
            "available by category adds up to "
                + amount(byCategory)
                + ", not "
                + amount(available));
      }
      Map<GrantId, Amount> listed = new HashMap<>();
      for (GrantBalance g : b.grants()) {
        listed.put(g.grant().id(), g.remaining());
      }
      if (!listed.equals(live)) {
        throw broken(
            LedgerRule.BALANCE,
            "the balance lists grants " + listed + ", but the grants holding credit are " + live);
      }
    }

    private void checkReversals() {
      Map<TransactionId, LedgerTransaction> earlier = new HashMap<>();
      Map<TransactionId, Long> givenBack = new HashMap<>();
      for (LedgerTransaction t : view.transactions()) {
        if (t.type() == TransactionType.REVERSAL) {
          LedgerTransaction original =
              t.corrects()
                  .map(earlier::get)
                  .orElseThrow(
                      () ->
                          broken(
                              LedgerRule.REVERSALS,
                              "reversal "
                                  + t.id()
                                  + " corrects "
                                  + t.corrects().map(TransactionId::value).orElse("nothing")
                                  + ", which is no earlier transaction of the account"));
          if (original.type() != TransactionType.CHARGE
              && original.type() != TransactionType.USAGE_DEBIT) {
            throw broken(
                LedgerRule.REVERSALS,
                "reversal " + t.id() + " corrects " + original.type() + " " + original.id());
          }
          long given = -t.minorOn(CONSUMED);
          if (given <= 0) {
            throw broken(
                LedgerRule.REVERSALS,
                "reversal " + t.id() + " gives back " + amount(given) + " of consumed credit");
          }
          long total = givenBack.merge(original.id(), given, Math::addExact);
          long taken = original.minorOn(CONSUMED);
          if (total > taken) {
            throw broken(
                LedgerRule.REVERSALS,
                "reversals of "
                    + original.id()
                    + " give back "
                    + amount(total)
                    + " by "
                    + t.id()
                    + ", but it consumed "
                    + amount(taken));
          }
        }
        earlier.put(t.id(), t);
      }
    }
  }
}
