package dev.billingsdk.memory;

import dev.billingsdk.credit.Grant;
import dev.billingsdk.credit.GrantBalance;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** A list of live grants in {@code order}, as an array being updated grant by grant. */
final class Relist {
  private final Comparator<Grant> order;
  private GrantBalance[] a;
  private int size;

  Relist(GrantBalance[] a, Comparator<Grant> order) {
    this.a = a;
    this.size = a.length;
    this.order = order;
  }

  void relist(GrantBalance now) {
    int lo = 0;
    int hi = size - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = order.compare(a[mid].grant(), now.grant());
      if (c < 0) {
        lo = mid + 1;
      } else if (c > 0) {
        hi = mid - 1;
      } else if (a[mid].grant().id().equals(now.grant().id())) {
        if (now.remaining().isZero()) {
          remove(mid);
        } else {
          a[mid] = now;
        }
        return;
      } else {
        List<GrantBalance> list = new ArrayList<>(Arrays.asList(a).subList(0, size));
        relistAmongTies(list, now, order);
        a = list.toArray(new GrantBalance[0]);
        size = a.length;
        return;
      }
    }
    if (!now.remaining().isZero()) {
      insert(lo, now);
    }
  }

  private void remove(int at) {
    System.arraycopy(a, at + 1, a, at, size - at - 1);
    a[--size] = null;
  }

  private void insert(int at, GrantBalance g) {
    if (size == a.length) {
      a = Arrays.copyOf(a, size + 4);
    }
    System.arraycopy(a, at, a, at + 1, size - at);
    a[at] = g;
    size++;
  }

  GrantBalance[] done() {
    return size == a.length ? a : Arrays.copyOf(a, size);
  }

  /**
   * {@link #relist(GrantBalance)} when the order ties two grants (it should not): by scanning the
   * list.
   */
  private static void relistAmongTies(
      List<GrantBalance> live, GrantBalance now, Comparator<Grant> order) {
    live.removeIf(g -> g.grant().id().equals(now.grant().id()));
    if (!now.remaining().isZero()) {
      int at = 0;
      while (at < live.size() && order.compare(live.get(at).grant(), now.grant()) <= 0) {
        at++;
      }
      live.add(at, now);
    }
  }
}
