package dev.billingsdk.credit;

import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What a grant may pay for: everything, or a union of whole kinds (all usage meters, all fixed
 * fees, all licences, all add-ons) and named items ({@code unrestricted} is "everything"). A grant
 * never pays outside its scope (rule 3).
 */
public record Scope(boolean unrestricted, Set<ChargeKind> kinds, Set<ItemRef> items) {

  public Scope {
    InvalidRequestException.requireNonNull(kinds, "scope.kinds");
    InvalidRequestException.requireNonNull(items, "scope.items");
    if (kinds.stream().anyMatch(Objects::isNull) || items.stream().anyMatch(Objects::isNull)) {
      throw new InvalidRequestException("scope", "null element", "must not contain null");
    }
    kinds = kinds.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(kinds));
    items = Set.copyOf(items);
    if (unrestricted && (!kinds.isEmpty() || !items.isEmpty())) {
      throw new InvalidRequestException(
          "scope", "everything+" + kinds + items, "everything cannot be combined with parts");
    }
    if (!unrestricted && kinds.isEmpty() && items.isEmpty()) {
      throw new InvalidRequestException("scope", "nothing", "must cover at least one kind or item");
    }
  }

  public static Scope everything() {
    return new Scope(true, Set.of(), Set.of());
  }

  public static Scope allUsageMeters() {
    return kinds(ChargeKind.USAGE);
  }

  public static Scope allFixedFees() {
    return kinds(ChargeKind.FIXED_FEE);
  }

  public static Scope allLicences() {
    return kinds(ChargeKind.LICENCE);
  }

  public static Scope allAddOns() {
    return kinds(ChargeKind.ADD_ON);
  }

  /** Whole kinds; a null, missing or repeated kind is refused naming {@code scope.kinds}. */
  public static Scope kinds(ChargeKind... kinds) {
    return new Scope(false, new HashSet<>(InputContract.distinct("scope.kinds", kinds)), Set.of());
  }

  /** Named items; a null, missing or repeated item is refused naming {@code scope.items}. */
  public static Scope items(ItemRef... items) {
    return new Scope(false, Set.of(), new HashSet<>(InputContract.distinct("scope.items", items)));
  }

  /** Named meters, e.g. {@code Scope.meters("gpt-4o.input", "gpt-4o.output")}. */
  public static Scope meters(String... meterKeys) {
    return new Scope(
        false,
        Set.of(),
        InputContract.distinct("scope.meters", meterKeys).stream()
            .map(ItemRef::meter)
            .collect(Collectors.toUnmodifiableSet()));
  }

  /** This scope widened by whole kinds. */
  public Scope plusKinds(ChargeKind... more) {
    Set<ChargeKind> all = EnumSet.noneOf(ChargeKind.class);
    all.addAll(kinds);
    all.addAll(InputContract.distinct("scope.kinds", more));
    return new Scope(false, all, items);
  }

  /** Whether a grant with this scope may pay for a charge of this kind and item. */
  public boolean covers(ChargeKind kind, String itemCode) {
    return unrestricted || kinds.contains(kind) || items.contains(new ItemRef(kind, itemCode));
  }

  /** A canonical text form: the same scope always prints the same (used for fingerprints). */
  public String canonical() {
    if (unrestricted) {
      return "everything";
    }
    Set<String> parts = new TreeSet<>();
    kinds.forEach(k -> parts.add("all:" + k));
    items.forEach(i -> parts.add(i.toString()));
    return String.join(",", parts);
  }

  @Override
  public String toString() {
    return canonical();
  }
}
