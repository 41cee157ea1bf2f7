package dev.billingsdk.fuzz;

import dev.billingsdk.BillingException;
import dev.billingsdk.InputContract;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * One call of a public entry point with generated arguments; {@link #toString} names the entry
 * point and shows the arguments, so a failing property says what was called with what.
 */
record Call(String entryPoint, List<Object> args, Function<Object[], Object> body) {

  Object invoke() {
    return body.apply(args.toArray());
  }

  /**
   * Runs the call; a {@link BillingException} is a refusal (returned), anything else fails with the
   * entry point and the inputs.
   */
  BillingException refusalOrNull() {
    try {
      invoke();
      return null;
    } catch (BillingException refused) {
      return refused;
    } catch (Throwable raw) {
      throw new AssertionError(
          this + " threw " + raw.getClass().getName() + ": " + raw.getMessage(), raw);
    }
  }

  @Override
  public String toString() {
    return entryPoint + args.stream().map(Call::show).collect(Collectors.joining(", ", "(", ")"));
  }

  static String show(Object value) {
    if (value != null && value.getClass().isArray()) {
      List<String> shown = new ArrayList<>();
      for (int i = 0; i < Array.getLength(value); i++) {
        shown.add(show(Array.get(value, i)));
      }
      return value.getClass().getComponentType().getSimpleName() + shown;
    }
    if (value instanceof String s) {
      return "\"" + InputContract.shown(s) + "\"";
    }
    return InputContract.shown(value);
  }

  /** An entry point over the given argument arbitraries. */
  @SuppressWarnings("unchecked")
  static Arbitrary<Call> of(
      String entryPoint, Function<Object[], Object> body, Arbitrary<?>... arguments) {
    List<Arbitrary<Object>> all = new ArrayList<>();
    for (Arbitrary<?> a : arguments) {
      all.add((Arbitrary<Object>) a);
    }
    return Combinators.combine(all)
        .as(values -> new Call(entryPoint, new ArrayList<>(values), body));
  }
}
