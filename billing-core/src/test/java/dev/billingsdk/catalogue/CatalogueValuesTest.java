package dev.billingsdk.catalogue;

import static dev.billingsdk.catalogue.CatalogueStoryTest.ALICE;
import static dev.billingsdk.catalogue.CatalogueStoryTest.CREDIT;
import static dev.billingsdk.catalogue.CatalogueStoryTest.EUR;
import static dev.billingsdk.catalogue.CatalogueStoryTest.USD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Scope;
import dev.billingsdk.money.Amount;
import java.lang.reflect.Modifier;
import java.time.Instant;
import java.time.Period;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The catalogue's values and drafts refuse bad input at once, naming the field. */
class CatalogueValuesTest {

  private static void refused(ThrowingCallable call, String field, String says) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> {
              assertThat(e.field()).isEqualTo(field);
              assertThat(e.getMessage()).contains(says);
            });
  }

  private static CreditPackageDraft.Builder pkg() {
    return CreditPackageDraft.builder(PackageId.of("p"), "P");
  }

  private static SubscriptionPlanDraft.Builder plan() {
    return SubscriptionPlanDraft.builder(PlanId.of("q"), "Q");
  }

  @Test
  @DisplayName("package draft: each setter once, the second call names the first value")
  void packageSettersOnce() {
    Map<String, Consumer<CreditPackageDraft.Builder>> setters =
        Map.of(
            "credits", b -> b.credits(Amount.of(CREDIT, 5)),
            "bonusCredits", b -> b.bonusCredits(Amount.of(CREDIT, 1)),
            "price", b -> b.price(Amount.of(USD, 2)),
            "grantTemplate", b -> b.grantTemplate(GrantTemplate.standard()),
            "providerRefs.stripe", b -> b.providerRef("stripe", "price_1"));
    setters.forEach(
        (field, set) -> {
          CreditPackageDraft.Builder b = pkg();
          set.accept(b);
          refused(() -> set.accept(b), field, "was already set to");
        });
  }

  @Test
  @DisplayName("package draft: bad values refused at once, required fields named by build()")
  void packageBadValues() {
    refused(() -> pkg().credits(Amount.of(USD, 5)), "credits", "positive credit amount");
    refused(() -> pkg().credits(Amount.zero(CREDIT)), "credits", "positive credit amount");
    refused(() -> pkg().bonusCredits(Amount.ofMinor(CREDIT, -1)), "bonusCredits", "zero or more");
    refused(() -> pkg().bonusCredits(Amount.of(USD, 1)), "bonusCredits", "zero or more");
    refused(() -> pkg().price(Amount.of(CREDIT, 1)), "price", "ISO 4217");
    refused(() -> pkg().price(Amount.zero(USD)), "price", "positive");
    refused(() -> pkg().providerRef("Stripe", "x"), "provider", "lower-case");
    refused(() -> pkg().providerRef("stripe", " x"), "providerRefs.stripe", "");
    refused(() -> CreditPackageDraft.builder(PackageId.of("p"), " "), "name", "");
    refused(() -> pkg().price(Amount.of(USD, 1)).build(), "credits", "is required");
    refused(() -> pkg().credits(Amount.of(CREDIT, 1)).build(), "price", "is required");
    refused(
        () ->
            pkg()
                .credits(Amount.of(CREDIT, 1))
                .bonusCredits(Amount.of(dev.billingsdk.money.CreditUnit.of("TOKEN", 0), 1))
                .price(Amount.of(USD, 1))
                .build(),
        "bonusCredits",
        "zero or more CREDIT");
    CreditPackageDraft.Builder full = pkg();
    for (int i = 0; i < 8; i++) {
      full.providerRef("p" + i, "r");
    }
    refused(() -> full.providerRef("p8", "r"), "providerRefs", "at most 8");
    CreditPackageDraft d = pkg().credits(Amount.of(CREDIT, 3)).price(Amount.of(USD, 1)).build();
    assertThat(d.bonusCredits()).isEqualTo(Amount.zero(CREDIT));
    assertThat(d.grantTemplate()).isEqualTo(GrantTemplate.standard());
    assertThat(d.toString()).contains("p", "3", "USD");
  }

  @Test
  @DisplayName("plan draft: once per currency, feature and provider; required fields named")
  void planDraft() {
    refused(
        () -> plan().price(Amount.of(USD, 1)).price(Amount.of(USD, 2)),
        "price.USD",
        "already set to USD 1.00");
    refused(() -> plan().feature("a").feature("a"), "features.a", "already set");
    refused(() -> plan().cadence(Period.ofMonths(1)).cadence(Period.ofYears(1)), "cadence", "P1M");
    refused(() -> plan().allowance(Amount.of(USD, 1)), "allowance", "credit unit");
    refused(() -> plan().price(Amount.zero(EUR)), "price", "positive");
    refused(() -> plan().price(Amount.of(CREDIT, 1)), "price", "ISO 4217");
    refused(() -> plan().feature(" leading"), "features", "");
    refused(
        () ->
            plan()
                .allowanceTemplate(GrantTemplate.standard())
                .allowanceTemplate(GrantTemplate.standard()),
        "allowanceTemplate",
        "already");
    refused(
        () -> plan().price(Amount.of(USD, 1)).allowance(Amount.zero(CREDIT)).build(),
        "cadence",
        "is required");
    refused(
        () -> plan().cadence(Period.ofMonths(1)).allowance(Amount.zero(CREDIT)).build(),
        "price",
        "is required");
    refused(
        () -> plan().cadence(Period.ofMonths(1)).price(Amount.of(USD, 1)).build(),
        "allowance",
        "is required");
    SubscriptionPlanDraft d =
        plan()
            .cadence(Period.ofWeeks(1))
            .price(Amount.of(EUR, 3))
            .price(Amount.of(USD, 4))
            .allowance(Amount.zero(CREDIT))
            .build();
    assertThat(d.cadence()).isEqualTo(Period.ofDays(7));
    assertThat(d.prices().keySet()).extracting(c -> c.code()).containsExactly("EUR", "USD");
    assertThat(d.allowanceTemplate()).isEqualTo(GrantTemplate.standard());
    assertThat(d.toString()).contains("q", "P7D");
  }

  @ParameterizedTest
  @ValueSource(strings = {"P0D", "P-1M", "P1M2D", "P11Y", "P3661D", "P1M-1D"})
  @DisplayName("cadences that are not a positive whole number of months or of days are refused")
  void badCadences(String text) {
    refused(() -> plan().cadence(Period.parse(text)), "cadence", "whole months");
  }

  @ParameterizedTest
  @ValueSource(strings = {"P0D", "P-1D", "P101Y", "P100Y1D", "P36501D", "P1Y-1M"})
  @DisplayName("validities that are not positive or pass a hundred years are refused")
  void badValidities(String text) {
    refused(
        () -> GrantTemplate.of(50, Optional.of(Period.parse(text)), Scope.everything()),
        "validity",
        "");
  }

  @Test
  @DisplayName("templates, revisions and stored versions check their parts")
  void recordsCheckTheirParts() {
    refused(
        () -> GrantTemplate.of(0, Optional.empty(), Scope.everything()), "priority", "1 and 100");
    refused(
        () -> GrantTemplate.of(101, Optional.empty(), Scope.everything()), "priority", "1 and 100");
    assertThat(
            GrantTemplate.of(100, Optional.of(Period.ofYears(100)), Scope.everything()).priority())
        .isEqualTo(100);
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    refused(() -> Revision.of(0, ChangeKind.CREATED, ALICE, t), "version", "at least 1");
    refused(() -> Revision.of(2, ChangeKind.CREATED, ALICE, t), "change", "CREATED exactly");
    refused(() -> Revision.of(1, ChangeKind.REVISED, ALICE, t), "change", "CREATED exactly");
    Revision archived = Revision.of(2, ChangeKind.ARCHIVED, ALICE, t);
    refused(
        () ->
            new CreditPackage(
                TenantId.of("t"),
                PackageId.of("p"),
                archived,
                "P",
                Amount.of(CREDIT, 1),
                Amount.zero(CREDIT),
                Amount.of(USD, 1),
                ItemStatus.ACTIVE,
                GrantTemplate.standard(),
                Map.of()),
        "status",
        "ARCHIVED");
    TreeMap<dev.billingsdk.money.CurrencyUnit, Amount> mislabelled =
        new TreeMap<>(SubscriptionPlan.BY_CODE);
    mislabelled.put(EUR, Amount.of(USD, 1));
    refused(
        () ->
            new SubscriptionPlan(
                TenantId.of("t"),
                PlanId.of("q"),
                Revision.of(1, ChangeKind.CREATED, ALICE, t),
                "Q",
                Period.ofMonths(1),
                mislabelled,
                Amount.zero(CREDIT),
                new java.util.TreeSet<>(),
                ItemStatus.ACTIVE,
                GrantTemplate.standard(),
                Map.of()),
        "prices",
        "currency it is listed under");
    refused(() -> PackageId.of(""), "package", "");
    refused(() -> PlanId.of("a\u0000"), "plan", "");
  }

  @Test
  @DisplayName("drafts have no public constructor: builders are the one way in")
  void noPublicConstructors() {
    for (Class<?> c : new Class<?>[] {CreditPackageDraft.class, SubscriptionPlanDraft.class}) {
      assertThat(
              Arrays.stream(c.getDeclaredConstructors())
                  .noneMatch(k -> Modifier.isPublic(k.getModifiers())))
          .as(c.getSimpleName())
          .isTrue();
    }
  }
}
