package dev.billingsdk.tck;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

/** The kits' races: tasks on their own threads, released together, results in thread order. */
final class Races {
  private Races() {}

  /** Runs {@code task(i)} on {@code threads} threads released together; returns their results. */
  static <T> List<T> race(int threads, IntFunction<Callable<T>> task) {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CyclicBarrier start = new CyclicBarrier(threads);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        Callable<T> t = task.apply(i);
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return t.call();
                }));
      }
      List<T> results = new ArrayList<>();
      for (Future<T> fu : futures) {
        results.add(await(fu));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  static <T> T await(Future<T> fu) {
    try {
      return fu.get(5, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }
}
