package dev.billingsdk.tck;

import dev.billingsdk.AccountId;
import dev.billingsdk.TenantId;
import dev.billingsdk.memory.InMemoryBillingStore;
import dev.billingsdk.metering.Meter;
import dev.billingsdk.metering.UsageEvent;
import dev.billingsdk.money.Unit;
import dev.billingsdk.spi.BillingStore;
import dev.billingsdk.spi.MeteringStore;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The in-memory store behind a lossy "driver": every argument a call hands the store passes through
 * one {@link Loss} first, deep inside records, lists, maps and optionals, so the store keeps (and
 * looks up by) the changed value, as a database behind a lossy driver or column would. With no loss
 * it is the plain in-memory store and must pass the hostile-input kit.
 */
final class LossyStore {
  private LossyStore() {}

  /** One way a driver, column or collation changes legal input. */
  enum Loss {
    /** Nothing is lost (the control). */
    NONE,
    /** Characters outside the BMP become {@code ?} (a 3-byte utf8 column, a driver's fallback). */
    SUPPLEMENTARY_AS_QUESTION_MARK,
    /** Instants are kept to the millisecond (a DATETIME(3) or java.util.Date column). */
    MILLISECOND_INSTANTS,
    /** Keys compare and are kept in lower case (a case-insensitive collation). */
    CASE_FOLDED_KEYS,
    /** Trailing spaces of text are dropped (a CHAR column, a trimming mapper). */
    TRIMMED_TEXT
  }

  static BillingStore with(Loss loss) {
    InMemoryBillingStore target = InMemoryBillingStore.create();
    return (BillingStore)
        Proxy.newProxyInstance(
            LossyStore.class.getClassLoader(),
            new Class<?>[] {BillingStore.class, MeteringStore.class},
            (proxy, method, args) -> {
              if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                  case "equals" -> proxy == args[0];
                  case "hashCode" -> System.identityHashCode(proxy);
                  default -> "LossyStore(" + loss + ")";
                };
              }
              Object[] changed = args == null ? null : new Object[args.length];
              for (int i = 0; args != null && i < args.length; i++) {
                changed[i] = change(args[i], loss);
              }
              try {
                return method.invoke(target, changed);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private static String change(String s, Loss loss) {
    return switch (loss) {
      case NONE, MILLISECOND_INSTANTS -> s;
      case SUPPLEMENTARY_AS_QUESTION_MARK -> s.replaceAll("[\\x{10000}-\\x{10FFFF}]", "?");
      case CASE_FOLDED_KEYS -> s; // only keys fold: see foldsCase
      case TRIMMED_TEXT -> s.stripTrailing();
    };
  }

  /** Account ids, idempotency keys and usage event ids are the keys a collation would fold. */
  private static boolean foldsCase(Object value, String component, Loss loss) {
    return loss == Loss.CASE_FOLDED_KEYS
        && (value instanceof AccountId
            || value instanceof dev.billingsdk.IdempotencyKey
            || (value instanceof UsageEvent && component.equals("id")));
  }

  /**
   * {@code value} as the lossy driver hands it on; records are rebuilt component by component, and
   * the two metering values that are classes (usage events and meters) through their builders.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static Object change(Object value, Loss loss) {
    if (value == null || loss == Loss.NONE) {
      return value;
    }
    if (value instanceof String s) {
      return change(s, loss);
    }
    if (value instanceof Instant i) {
      return loss == Loss.MILLISECOND_INSTANTS ? i.truncatedTo(ChronoUnit.MILLIS) : i;
    }
    if (value instanceof Unit || value instanceof Enum<?>) {
      return value; // a unit's code is not text a caller chose
    }
    if (value instanceof Optional<?> o) {
      return o.map(x -> change(x, loss));
    }
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(x -> out.add(change(x, loss)));
      return out;
    }
    if (value instanceof Set<?> s) {
      if (s.isEmpty() || s.iterator().next() instanceof Enum<?>) {
        return s.isEmpty() ? s : EnumSet.copyOf((Collection<Enum>) s);
      }
      Set<Object> out = s instanceof SortedSet<?> ? new TreeSet<>() : new LinkedHashSet<>();
      s.forEach(x -> out.add(change(x, loss)));
      return out;
    }
    if (value instanceof Collection<?> c) {
      List<Object> out = new ArrayList<>();
      c.forEach(x -> out.add(change(x, loss)));
      return out;
    }
    if (value instanceof Map<?, ?> m) {
      Map<Object, Object> out =
          m instanceof SortedMap<?, ?> ? new TreeMap<>() : new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(change(k, loss), change(v, loss)));
      return out;
    }
    if (value instanceof UsageEvent e) {
      String id = e.id();
      UsageEvent.Builder b =
          UsageEvent.builder(
                  (TenantId) change(e.tenant(), loss),
                  (AccountId) change(e.account(), loss),
                  change(e.meter(), loss))
              .id(foldsCase(e, "id", loss) ? id.toLowerCase(Locale.ROOT) : change(id, loss))
              .quantity(e.quantity())
              .occurredAt((Instant) change(e.occurredAt(), loss));
      return b.dimensions((Map<String, String>) change(e.dimensions(), loss)).build();
    }
    if (value instanceof Meter m) {
      Meter.Builder b =
          Meter.builder((TenantId) change(m.tenant(), loss), change(m.key(), loss), m.aggregation())
              .unit(change(m.unit(), loss))
              .dimensions(((Set<String>) change(m.dimensions(), loss)).toArray(String[]::new));
      ((Optional<String>) change(m.keyDimension(), loss)).ifPresent(b::keyDimension);
      m.heartbeatTimeout().ifPresent(b::heartbeatTimeout);
      return b.build();
    }
    if (value.getClass().isRecord()) {
      RecordComponent[] parts = value.getClass().getRecordComponents();
      Object[] values = new Object[parts.length];
      Class<?>[] types = new Class<?>[parts.length];
      try {
        for (int i = 0; i < parts.length; i++) {
          types[i] = parts[i].getType();
          java.lang.reflect.Method accessor = parts[i].getAccessor();
          accessor.setAccessible(true);
          Object part = accessor.invoke(value);
          // The fingerprint is the library's own hash, not text a caller chose.
          values[i] =
              parts[i].getName().equals("fingerprint")
                  ? part
                  : foldsCase(value, parts[i].getName(), loss)
                      ? ((String) part).toLowerCase(Locale.ROOT)
                      : change(part, loss);
        }
        Constructor<?> c = value.getClass().getDeclaredConstructor(types);
        c.setAccessible(true);
        return c.newInstance(values);
      } catch (InvocationTargetException e) {
        throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
    return value;
  }
}
