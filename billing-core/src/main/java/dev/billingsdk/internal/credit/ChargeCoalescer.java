package dev.billingsdk.internal.credit;

import dev.billingsdk.AccountId;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.ChargeInterruptedException;
import dev.billingsdk.credit.ChargeOutcome;
import dev.billingsdk.credit.ChargeRequest;
import dev.billingsdk.credit.ChargeResult;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Single-writer coalescing of concurrent charges, on the callers' own threads: per account, or
 * across accounts in a fixed number of shared lanes.
 *
 * <p>Each lane is a queue of waiting charges and at most one leader. Per account (no shared lanes)
 * each (tenant, account) has its own lane; with {@code sharedLanes} above zero, every account
 * always maps to the same one of that many lanes, so the charges of many accounts wait in one queue
 * and go into one commit, and at most {@code sharedLanes} commits of this instance run at once. A
 * caller joins the queue; if no leader is running it becomes the leader, takes the head of the
 * queue (itself first, up to {@code maxBatch} requests), commits them as one batch, hands every
 * waiter its own result or exception, and passes the lead to the new head of the queue, if any. A
 * group of one is charged exactly as without coalescing. Because only the leader writes the
 * account, the charges of one instance no longer race each other's versions.
 *
 * <p>A waiter interrupted while still queued leaves the queue and gets {@link
 * ChargeInterruptedException} (nothing was written for it); one interrupted after a leader took it
 * waits for its outcome (which the store may already hold) and keeps its interrupt status. A
 * failure of the whole batch (the store failing, a defect) reaches every waiter of that batch.
 */
final class ChargeCoalescer {
  private final int maxBatch;
  private final int sharedLanes;
  private final Function<ChargeRequest, ChargeResult> single;
  private final Function<List<ChargeRequest>, List<ChargeOutcome>> batch;
  private final ConcurrentHashMap<Object, Lane> lanes = new ConcurrentHashMap<>();

  /**
   * @param maxBatch the most charges one commit takes
   * @param sharedLanes 0 for a lane per account; above 0, the number of lanes all accounts share
   */
  ChargeCoalescer(
      int maxBatch,
      int sharedLanes,
      Function<ChargeRequest, ChargeResult> single,
      Function<List<ChargeRequest>, List<ChargeOutcome>> batch) {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be at least 1: " + maxBatch);
    }
    if (sharedLanes < 0) {
      throw new IllegalArgumentException("sharedLanes must not be negative: " + sharedLanes);
    }
    this.maxBatch = maxBatch;
    this.sharedLanes = sharedLanes;
    this.single = single;
    this.batch = batch;
  }

  private record LaneKey(TenantId tenant, AccountId account) {}

  /** The lane of a charge: its account's own, or the shared lane its account always maps to. */
  private Object laneOf(ChargeRequest request) {
    LaneKey account = new LaneKey(request.tenant(), request.account());
    return sharedLanes == 0 ? account : Math.floorMod(account.hashCode(), sharedLanes);
  }

  private enum State {
    QUEUED,
    LEAD,
    TAKEN,
    DONE
  }

  /** One caller's charge; every field but {@code request} is guarded by its lane's lock. */
  private static final class Waiter {
    final ChargeRequest request;
    final Condition wake;
    State state = State.QUEUED;
    @Nullable ChargeResult result;
    @Nullable Throwable failure;

    Waiter(ChargeRequest request, Condition wake) {
      this.request = request;
      this.wake = wake;
    }

    ChargeResult outcome() {
      if (failure instanceof RuntimeException e) {
        throw e;
      }
      if (failure instanceof Error e) {
        throw e;
      }
      if (failure != null) {
        throw new IllegalStateException(failure);
      }
      if (result == null) {
        throw new IllegalStateException("a charge ended with neither a result nor a failure");
      }
      return result;
    }
  }

  /** The queue of one account; {@code leading} false implies an empty queue. */
  private static final class Lane {
    final ReentrantLock lock = new ReentrantLock();
    final ArrayDeque<Waiter> queue = new ArrayDeque<>();
    boolean leading;
    boolean retired;
  }

  ChargeResult charge(ChargeRequest request) {
    Object key = laneOf(request);
    while (true) {
      Lane lane = lanes.computeIfAbsent(key, k -> new Lane());
      Waiter me;
      lane.lock.lock();
      try {
        if (lane.retired) {
          continue; // the lane went idle and left the map after we found it: take the new one
        }
        me = new Waiter(request, lane.lock.newCondition());
        lane.queue.addLast(me);
        if (!lane.leading) {
          lane.leading = true;
          me.state = State.LEAD;
        }
      } finally {
        lane.lock.unlock();
      }
      if (awaitTurn(lane, me) == State.LEAD) {
        lead(key, lane);
      }
      return me.outcome();
    }
  }

  /** Waits until {@code me} leads or has its outcome; returns which. */
  private State awaitTurn(Lane lane, Waiter me) {
    boolean interrupted = false;
    lane.lock.lock();
    try {
      while (me.state == State.QUEUED || me.state == State.TAKEN) {
        try {
          me.wake.await();
        } catch (InterruptedException e) {
          if (me.state == State.QUEUED) {
            lane.queue.remove(me);
            interrupted = true;
            throw new ChargeInterruptedException(
                me.request.tenant(), me.request.account(), me.request.idempotencyKey());
          }
          // A leader has the charge: its outcome is decided by the store, so wait for it.
          interrupted = true;
        }
      }
      return me.state;
    } finally {
      lane.lock.unlock();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Commits the group at the head of the queue, then passes the lead on or retires the lane. */
  private void lead(Object key, Lane lane) {
    // The store's I/O should not see an interrupt meant for this caller; it is restored after.
    boolean interrupted = Thread.interrupted();
    List<Waiter> group = new ArrayList<>();
    try {
      lane.lock.lock();
      try {
        while (group.size() < maxBatch && !lane.queue.isEmpty()) {
          Waiter w = lane.queue.pollFirst();
          w.state = State.TAKEN;
          group.add(w);
        }
      } finally {
        lane.lock.unlock();
      }
      run(group);
    } finally {
      lane.lock.lock();
      try {
        for (Waiter w : group) {
          w.state = State.DONE;
          w.wake.signal();
        }
        Waiter next = lane.queue.peekFirst();
        if (next != null) {
          next.state = State.LEAD;
          next.wake.signal();
        } else {
          lane.leading = false;
          lane.retired = true;
          lanes.remove(key, lane);
        }
      } finally {
        lane.lock.unlock();
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Charges the group and stores each waiter's outcome (published by the lane's lock). */
  private void run(List<Waiter> group) {
    try {
      if (group.size() == 1) {
        group.get(0).result = single.apply(group.get(0).request);
        return;
      }
      List<ChargeRequest> requests = new ArrayList<>(group.size());
      group.forEach(w -> requests.add(w.request));
      List<ChargeOutcome> outcomes = batch.apply(requests);
      for (int i = 0; i < group.size(); i++) {
        ChargeOutcome o = outcomes.get(i);
        if (o instanceof ChargeOutcome.Charged c) {
          group.get(i).result = c.result();
        } else {
          group.get(i).failure = ((ChargeOutcome.Refused) o).reason();
        }
      }
    } catch (Throwable t) {
      for (Waiter w : group) {
        if (w.result == null && w.failure == null) {
          w.failure = t;
        }
      }
    }
  }
}
