package dev.billingsdk.tck;

import dev.billingsdk.AccountId;
import dev.billingsdk.TenantId;
import dev.billingsdk.spi.TopUpStore;
import dev.billingsdk.topup.TopUpRule;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A top-up store written the way hand-made ones go wrong, one mistake at a time, for {@link
 * TopUpKitCatchesBrokenStoresTest}. With {@link Mistake#NONE} it is a correct store.
 */
final class BrokenTopUpStore implements TopUpStore {

  enum Mistake {
    NONE,
    /** Saves whatever version is stored ("last write wins"). */
    IGNORES_VERSION,
    /** Checks the version, then writes, with nothing holding the two together. */
    CHECK_THEN_SAVE,
    /** A first rule replaces the one stored ("upsert"). */
    UPSERTS,
    /** Loses the pending purchase on the way back (a column nobody mapped). */
    DROPS_PENDING
  }

  private record Key(TenantId tenant, AccountId account) {}

  private final Mistake mistake;
  private final Map<Key, TopUpRule> rows = new ConcurrentHashMap<>();

  BrokenTopUpStore(Mistake mistake) {
    this.mistake = mistake;
  }

  @Override
  public boolean save(Optional<TopUpRule> current, TopUpRule next) {
    if (mistake == Mistake.CHECK_THEN_SAVE) {
      return write(current, next, true);
    }
    synchronized (this) {
      return write(current, next, false);
    }
  }

  private boolean write(Optional<TopUpRule> current, TopUpRule next, boolean slow) {
    Key k = new Key(next.tenant(), next.account());
    TopUpRule stored = rows.get(k);
    boolean fits =
        current.isEmpty()
            ? stored == null || mistake == Mistake.UPSERTS
            : stored != null
                && (mistake == Mistake.IGNORES_VERSION
                    || stored.version() == current.get().version()
                        && next.version() == stored.version() + 1);
    if (slow) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (fits) {
      rows.put(k, next);
    }
    return fits;
  }

  private TopUpRule read(TopUpRule r) {
    if (mistake != Mistake.DROPS_PENDING) {
      return r;
    }
    return new TopUpRule(
        r.tenant(),
        r.account(),
        r.threshold(),
        r.creditPackage(),
        r.provider(),
        r.customer(),
        r.paymentMethod(),
        r.cooldown(),
        r.monthlyCap(),
        r.maxFailures(),
        r.zone(),
        r.state(),
        r.failures(),
        Optional.empty(),
        r.requested(),
        r.lastTopUpAt(),
        r.spentMonth(),
        r.spent(),
        r.version());
  }

  @Override
  public Optional<TopUpRule> rule(TenantId tenant, AccountId account) {
    return Optional.ofNullable(rows.get(new Key(tenant, account))).map(this::read);
  }

  @Override
  public List<TopUpRule> rules(TenantId tenant) {
    return rows.values().stream()
        .filter(r -> r.tenant().equals(tenant))
        .sorted(Comparator.comparing(r -> r.account().value()))
        .map(this::read)
        .toList();
  }
}
