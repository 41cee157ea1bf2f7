package dev.billingsdk.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.Actor;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import dev.billingsdk.catalogue.CatalogueItem;
import dev.billingsdk.catalogue.CatalogueItem.Kind;
import dev.billingsdk.catalogue.CatalogueVersionConflictException;
import dev.billingsdk.catalogue.ChangeKind;
import dev.billingsdk.catalogue.CreditPackage;
import dev.billingsdk.catalogue.GrantTemplate;
import dev.billingsdk.catalogue.ItemStatus;
import dev.billingsdk.catalogue.PackageId;
import dev.billingsdk.catalogue.PlanId;
import dev.billingsdk.catalogue.Revision;
import dev.billingsdk.catalogue.SubscriptionPlan;
import dev.billingsdk.credit.ChargeKind;
import dev.billingsdk.credit.ItemRef;
import dev.billingsdk.credit.Scope;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CreditUnit;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.spi.CatalogueStore;
import java.time.Instant;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The rules of the catalogue part of the storage SPI ({@link CatalogueStore}): versions read back
 * exactly as added, are only ever added one after the latest, and two writers of one version leave
 * one winner, also across two instances of the store. An adapter extends it and supplies {@link
 * #store()} (and, for stores shared between processes, {@link #secondInstance()}); every test uses
 * a fresh tenant, so the store may be shared.
 */
public abstract class CatalogueStoreTck {

  /** For subclasses: an adapter's runner extends this kit. */
  protected CatalogueStoreTck() {}

  /** The store under test. May be shared across tests: each test uses a fresh tenant. */
  protected abstract CatalogueStore store();

  /**
   * A second instance on the same storage, as a second process would have: the race rule writes
   * through both. The default is the same instance.
   */
  protected CatalogueStore secondInstance() {
    return store();
  }

  /** Writers racing for one version (at least 8 in the kit's own runs). */
  protected int concurrentThreads() {
    return 8;
  }

  static final CreditUnit CREDIT = CreditUnit.of("CREDIT", 2);
  static final CurrencyUnit USD = CurrencyUnit.of("USD");
  static final CurrencyUnit JPY = CurrencyUnit.of("JPY");
  static final CurrencyUnit KWD = CurrencyUnit.of("KWD");
  static final Actor ADMIN = Actor.of("catalogue-admin", Role.ADMIN, Role.FINANCE);
  static final Instant T0 = Instant.parse("2026-03-31T23:59:59.123456Z");

  private TenantId tenant = TenantId.of("x");

  @BeforeEach
  void freshTenant() {
    tenant = TenantId.of("cat-" + UUID.randomUUID());
  }

  static Revision revision(int version, Instant at) {
    ChangeKind change = version == 1 ? ChangeKind.CREATED : ChangeKind.REVISED;
    return Revision.of(version, change, ADMIN, at);
  }

  /** A package version whose every field differs from the defaults. */
  static CreditPackage pkg(TenantId tenant, String id, int version, String name, long priceCents) {
    return new CreditPackage(
        tenant,
        PackageId.of(id),
        revision(version, T0.plusSeconds(version)),
        name,
        Amount.of(CREDIT, 1000 + version),
        Amount.ofMinor(CREDIT, 25_050),
        Amount.ofMinor(USD, priceCents),
        ItemStatus.ACTIVE,
        GrantTemplate.of(
            7,
            Optional.of(Period.of(1, 2, 3)),
            new Scope(
                false, Set.of(ChargeKind.USAGE), Set.of(ItemRef.of(ChargeKind.LICENCE, "seat")))),
        Map.of("stripe", "price_" + id + "_" + version, "flutterwave", "plan-" + version));
  }

  static SubscriptionPlan plan(TenantId tenant, String id, int version, String name) {
    TreeMap<CurrencyUnit, Amount> prices = new TreeMap<>(SubscriptionPlan.BY_CODE);
    prices.put(USD, Amount.of(USD, "29.99"));
    prices.put(JPY, Amount.of(JPY, 4500));
    prices.put(KWD, Amount.of(KWD, "9.125"));
    return new SubscriptionPlan(
        tenant,
        PlanId.of(id),
        revision(version, T0.plusSeconds(version)),
        name,
        Period.ofYears(1),
        prices,
        Amount.ofMinor(CREDIT, 1_000_001),
        new TreeSet<>(List.of("api-access", "sso", "support.priority")),
        ItemStatus.ACTIVE,
        GrantTemplate.of(3, Optional.empty(), Scope.everything()),
        Map.of());
  }

  static CreditPackage archived(CreditPackage p, int version) {
    return new CreditPackage(
        p.tenant(),
        p.id(),
        Revision.of(version, ChangeKind.ARCHIVED, ADMIN, p.revision().at().plusSeconds(60)),
        p.name(),
        p.credits(),
        p.bonusCredits(),
        p.price(),
        ItemStatus.ARCHIVED,
        p.grantTemplate(),
        p.providerRefs());
  }

  @Nested
  @DisplayName("Versions: read back exactly as added, latest the highest, listed once per item")
  class Versions {

    @Test
    void required_aVersionReadsBackExactlyAsAdded() {
      // Names a careless column or collation would change: accents, an emoji, right-to-left,
      // trailing blanks inside, the longest name.
      List<String> names =
          List.of("Crédits Pro 🚀", "باقة الأرصدة", "Ünïcödé  two  spaces", "x".repeat(200));
      List<CatalogueItem> added = new ArrayList<>();
      for (int i = 0; i < names.size(); i++) {
        added.add(pkg(tenant, "pkg-" + i, 1, names.get(i), 1999 + i));
        added.add(plan(tenant, "plan-" + i, 1, names.get(i)));
      }
      added.forEach(store()::addVersion);
      for (CatalogueItem item : added) {
        assertThat(store().version(tenant, item.kind(), item.itemId(), 1)).contains(item);
        assertThat(store().latest(tenant, item.kind(), item.itemId())).contains(item);
      }
    }

    @Test
    void required_anItemIsFoundByItsExactIdOnly() {
      CreditPackage growth = pkg(tenant, "growth", 1, "Growth", 100);
      store().addVersion(growth);
      // Case counts, nothing is padded or trimmed, and no id is a pattern (MariaDB's PAD SPACE
      // collations match 'growth ' to 'growth' unless the store refuses to look it up).
      for (String near :
          List.of("growth ", "Growth", "GROWTH", "growt", "growth%", "gr_wth", "%", " growth")) {
        assertThat(store().latest(tenant, Kind.CREDIT_PACKAGE, near)).as("id %s", near).isEmpty();
        assertThat(store().versions(tenant, Kind.CREDIT_PACKAGE, near)).as("id %s", near).isEmpty();
        assertThat(store().version(tenant, Kind.CREDIT_PACKAGE, near, 1))
            .as("id %s", near)
            .isEmpty();
      }
      assertThat(
              store()
                  .latest(
                      TenantId.of(tenant.value().toUpperCase(java.util.Locale.ROOT)),
                      Kind.CREDIT_PACKAGE,
                      "growth"))
          .isEmpty();
      assertThat(store().latest(tenant, Kind.CREDIT_PACKAGE, "growth")).contains(growth);
    }

    @Test
    void required_versionsAreKeptInOrderAndTheLatestIsTheHighest() {
      CreditPackage v1 = pkg(tenant, "p", 1, "One", 100);
      CreditPackage v2 = pkg(tenant, "p", 2, "Two", 200);
      CreditPackage v3 = archived(v2, 3);
      store().addVersion(v1);
      store().addVersion(v2);
      store().addVersion(v3);
      assertThat(store().versions(tenant, Kind.CREDIT_PACKAGE, "p")).containsExactly(v1, v2, v3);
      assertThat(store().latest(tenant, Kind.CREDIT_PACKAGE, "p")).contains(v3);
      assertThat(store().version(tenant, Kind.CREDIT_PACKAGE, "p", 2)).contains(v2);
      assertThat(store().version(tenant, Kind.CREDIT_PACKAGE, "p", 4)).isEmpty();
      assertThat(store().version(tenant, Kind.CREDIT_PACKAGE, "p", 0)).isEmpty();
      assertThat(store().latest(tenant, Kind.CREDIT_PACKAGE, "none")).isEmpty();
      assertThat(store().versions(tenant, Kind.CREDIT_PACKAGE, "none")).isEmpty();
    }

    @Test
    void required_latestOfEachListsEveryItemOnceByIdAndKeepsKindsAndTenantsApart() {
      TenantId other = TenantId.of(tenant.value() + "-other");
      store().addVersion(pkg(tenant, "b", 1, "B", 1));
      CreditPackage b2 = pkg(tenant, "b", 2, "B2", 2);
      store().addVersion(b2);
      CreditPackage a = pkg(tenant, "a", 1, "A", 1);
      store().addVersion(a);
      // The same id as a plan, and in another tenant: neither is a version of "a" or "b".
      SubscriptionPlan planA = plan(tenant, "a", 1, "Plan A");
      store().addVersion(planA);
      store().addVersion(pkg(other, "a", 1, "Other A", 1));
      store().addVersion(pkg(other, "a", 2, "Other A2", 1));
      assertThat(store().latestOfEach(tenant, Kind.CREDIT_PACKAGE)).containsExactly(a, b2);
      assertThat(store().latestOfEach(tenant, Kind.SUBSCRIPTION_PLAN)).containsExactly(planA);
      assertThat(store().latest(tenant, Kind.CREDIT_PACKAGE, "a")).contains(a);
      assertThat(store().versions(tenant, Kind.CREDIT_PACKAGE, "a")).containsExactly(a);
      assertThat(store().latest(tenant, Kind.SUBSCRIPTION_PLAN, "b")).isEmpty();
    }
  }

  @Nested
  @DisplayName("Adding: only the version after the latest; a refused add changes nothing")
  class Adding {

    @Test
    void required_aTakenOrSkippedVersionIsRefusedAndNothingChanges() {
      CreditPackage v1 = pkg(tenant, "p", 1, "One", 100);
      store().addVersion(v1);
      CreditPackage again = pkg(tenant, "p", 1, "Other one", 999);
      assertThatThrownBy(() -> store().addVersion(again))
          .isInstanceOfSatisfying(
              CatalogueVersionConflictException.class,
              e -> {
                assertThat(e.itemId()).isEqualTo("p");
                assertThat(e.actualVersion()).isEqualTo(1);
              });
      CreditPackage skipping = pkg(tenant, "p", 3, "Three", 300);
      assertThatThrownBy(() -> store().addVersion(skipping))
          .isInstanceOfSatisfying(
              CatalogueVersionConflictException.class,
              e -> assertThat(e.actualVersion()).isEqualTo(1));
      CreditPackage orphan = pkg(tenant, "q", 2, "No first", 300);
      assertThatThrownBy(() -> store().addVersion(orphan))
          .isInstanceOfSatisfying(
              CatalogueVersionConflictException.class, e -> assertThat(e.actualVersion()).isZero());
      assertThat(store().versions(tenant, Kind.CREDIT_PACKAGE, "p")).containsExactly(v1);
      assertThat(store().versions(tenant, Kind.CREDIT_PACKAGE, "q")).isEmpty();
      assertThat(store().latestOfEach(tenant, Kind.CREDIT_PACKAGE)).containsExactly(v1);
    }

    @Test
    void required_writersRacingForOneVersionLeaveExactlyOneWinner() throws Exception {
      int threads = Math.max(2, concurrentThreads());
      for (int round = 0; round < 5; round++) {
        String id = "race-" + round;
        store().addVersion(pkg(tenant, id, 1, "One", 100));
        List<Boolean> won =
            Races.race(
                threads,
                i -> {
                  CatalogueStore through = i % 2 == 0 ? store() : secondInstance();
                  CreditPackage mine = pkg(tenant, id, 2, "Writer " + i, 200 + i);
                  return () -> {
                    try {
                      through.addVersion(mine);
                      return true;
                    } catch (CatalogueVersionConflictException e) {
                      return false;
                    }
                  };
                });
        assertThat(won.stream().filter(w -> w))
            .as("writers of version 2 that succeeded, round " + round)
            .hasSize(1);
        List<CatalogueItem> versions = store().versions(tenant, Kind.CREDIT_PACKAGE, id);
        assertThat(versions).hasSize(2);
        assertThat(secondInstance().versions(tenant, Kind.CREDIT_PACKAGE, id)).isEqualTo(versions);
      }
    }
  }
}
