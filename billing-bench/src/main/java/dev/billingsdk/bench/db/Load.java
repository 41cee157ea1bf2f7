package dev.billingsdk.bench.db;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A timed run: {@code threads} clients each repeat a step until the time is up. The rate is every
 * client's work divided by the wall time from the common start until the last client stopped (a
 * step that started before the deadline is finished and counted).
 */
final class Load {
  private Load() {}

  /** One client's work; each call does one unit of work and returns how many items it did. */
  @FunctionalInterface
  interface Step {
    long run(long iteration) throws Exception;
  }

  /** Makes the step of client {@code thread}. */
  @FunctionalInterface
  interface Client {
    Step create(int thread) throws Exception;
  }

  /** What a timed run did. */
  record Result(long items, double seconds) {
    double rate() {
      return items / seconds;
    }
  }

  static Result run(int threads, double seconds, Client client) throws Exception {
    List<Step> steps = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      steps.add(client.create(t));
    }
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    long[] counts = new long[threads];
    long[] deadline = new long[1];
    List<Thread> running = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int index = t;
      Thread thread =
          new Thread(
              () -> {
                ready.countDown();
                try {
                  go.await();
                  long n = 0;
                  long i = 0;
                  while (System.nanoTime() < deadline[0] && failure.get() == null) {
                    n += steps.get(index).run(i++);
                  }
                  counts[index] = n;
                } catch (Throwable e) {
                  failure.compareAndSet(null, e);
                }
              },
              "bench-client-" + t);
      running.add(thread);
      thread.start();
    }
    ready.await();
    long start = System.nanoTime();
    deadline[0] = start + (long) (seconds * 1e9);
    go.countDown();
    for (Thread t : running) {
      t.join();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    for (Step s : steps) {
      if (s instanceof AutoCloseable closeable) {
        closeable.close();
      }
    }
    Throwable f = failure.get();
    if (f instanceof Exception e) {
      throw e;
    }
    if (f instanceof Error e) {
      throw e;
    }
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    return new Result(total, elapsed);
  }

  static void log(String message) {
    System.err.println("bench: " + message);
  }

  static String f(double d) {
    return String.format(Locale.ROOT, "%,.0f", d);
  }
}
