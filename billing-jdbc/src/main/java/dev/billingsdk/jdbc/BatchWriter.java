package dev.billingsdk.jdbc;

import static dev.billingsdk.jdbc.StoreRows.bindAlert;
import static dev.billingsdk.jdbc.StoreRows.chunks;
import static dev.billingsdk.jdbc.StoreRows.micros;
import static dev.billingsdk.jdbc.StoreRows.unit;

import dev.billingsdk.AccountId;
import dev.billingsdk.GrantId;
import dev.billingsdk.IdempotencyKey;
import dev.billingsdk.TenantId;
import dev.billingsdk.credit.Account;
import dev.billingsdk.credit.Grant;
import dev.billingsdk.credit.Reservation;
import dev.billingsdk.credit.ReservationId;
import dev.billingsdk.credit.ReservationState;
import dev.billingsdk.event.BillingEvent;
import dev.billingsdk.jdbc.StoreRows.AccountRow;
import dev.billingsdk.jdbc.internal.JsonCodec;
import dev.billingsdk.ledger.LedgerTransaction;
import dev.billingsdk.ledger.Posting;
import dev.billingsdk.ledger.TransactionId;
import dev.billingsdk.money.Unit;
import dev.billingsdk.spi.AlertState;
import dev.billingsdk.spi.CommitResult;
import dev.billingsdk.spi.LedgerWrite;
import dev.billingsdk.spi.WriteRules;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One batch inside one database transaction: lock, check against stored state (plus what the
 * batch's earlier writes did), then write what passed with statement batches.
 */
final class BatchWriter {

  private static final Comparator<AccountKey> LOCK_ORDER =
      Comparator.comparing((AccountKey k) -> k.tenant().value())
          .thenComparing(k -> k.account().value());

  private record AccountKey(TenantId tenant, AccountId account) {}

  private record GrantKey(TenantId tenant, GrantId grant) {}

  private record ReservationKey(TenantId tenant, ReservationId id) {}

  private record KeyRef(TenantId tenant, IdempotencyKey key) {}

  /** A grant as the batch sees it: stored or created in this batch, with its running balance. */
  private static final class GrantState {
    final AccountId account;
    final long amount;
    final String id;
    long remaining;
    boolean voided;
    final @Nullable Grant created; // non-null when this batch creates it

    GrantState(
        String id,
        AccountId account,
        long amount,
        long remaining,
        boolean voided,
        @Nullable Grant g) {
      this.id = id;
      this.account = account;
      this.amount = amount;
      this.remaining = remaining;
      this.voided = voided;
      this.created = g;
    }
  }

  /** An account as the batch sees it. */
  private static final class AccountState {
    final Account account;
    long version;
    long overdraft;
    Optional<AlertState> alert;
    long lastSequence;
    boolean changed;

    AccountState(AccountRow row) {
      this.account = row.account();
      this.version = row.version();
      this.overdraft = row.overdraft();
      this.alert = row.alert();
      this.lastSequence = row.lastSequence();
    }
  }

  private final Connection c;
  private final LedgerReads reads;
  private final StoreRows db;
  private final Dialect dialect;
  private final SequenceBlocks sequences;
  private final Map<AccountKey, AccountState> accounts = new HashMap<>();
  private final Map<GrantKey, GrantState> grants = new HashMap<>();
  private final Map<ReservationKey, Reservation> reservations = new HashMap<>();
  private final Set<ReservationKey> openedReservations = new HashSet<>();
  private final Set<ReservationKey> resolvedReservations = new HashSet<>();
  private final Set<GrantKey> touched = new HashSet<>();
  private final Map<KeyRef, LedgerTransaction> claimed = new HashMap<>();
  private final List<LedgerTransaction> committed = new ArrayList<>();
  private final List<BillingEvent> events = new ArrayList<>();

  private List<LedgerWrite> writes = List.of();
  private boolean grantsLoaded;

  BatchWriter(
      Connection c, LedgerReads reads, StoreRows db, Dialect dialect, SequenceBlocks sequences) {
    this.c = c;
    this.reads = reads;
    this.db = db;
    this.dialect = dialect;
    this.sequences = sequences;
  }

  /** A grant the batch has loaded or created (its writes were checked against them). */
  private GrantState knownGrant(GrantKey k) {
    GrantState g = grants.get(k);
    if (g == null) {
      throw new IllegalStateException("grant " + k.grant() + " is not loaded in the batch");
    }
    return g;
  }

  /** A reservation the batch has read or opened. */
  private Reservation knownReservation(ReservationKey k) {
    Reservation r = reservations.get(k);
    if (r == null) {
      throw new IllegalStateException("reservation " + k.id() + " is not known to the batch");
    }
    return r;
  }

  List<CommitResult> apply(List<LedgerWrite> writes) throws SQLException {
    // Lock every account the batch writes, one at a time in the fixed order.
    Set<AccountKey> keys = new java.util.TreeSet<>(LOCK_ORDER);
    for (LedgerWrite w : writes) {
      keys.add(new AccountKey(w.transaction().tenant(), w.transaction().account()));
    }
    for (AccountKey k : keys) {
      reads
          .accountRow(c, k.tenant(), k.account(), true)
          .ifPresent(row -> accounts.put(k, new AccountState(row)));
    }
    this.writes = writes;
    List<CommitResult> results = new ArrayList<>(writes.size());
    WriteRules.BatchChain<AccountKey> chain = new WriteRules.BatchChain<>();
    for (LedgerWrite w : writes) {
      AccountKey k = new AccountKey(w.transaction().tenant(), w.transaction().account());
      AccountState a = accounts.get(k);
      CommitResult r =
          a != null && chain.countsOnUnapplied(k, w)
              ? WriteRules.BatchChain.answerChained(w, prior(w), a.version)
              : decide(w);
      chain.answered(k, w, r);
      results.add(r);
    }
    flush();
    return results;
  }

  /** Reads in one query per tenant every stored grant the batch's writes touch or create. */
  private void preloadGrants(List<LedgerWrite> writes) throws SQLException {
    Map<TenantId, Set<String>> wanted = new LinkedHashMap<>();
    for (LedgerWrite w : writes) {
      Set<String> ids =
          wanted.computeIfAbsent(w.transaction().tenant(), k -> new java.util.TreeSet<>());
      w.grantDeltas().keySet().forEach(g -> ids.add(g.value()));
      w.voidedGrants().forEach(g -> ids.add(g.value()));
      w.newGrants().forEach(g -> ids.add(g.id().value()));
    }
    for (Map.Entry<TenantId, Set<String>> e : wanted.entrySet()) {
      for (List<String> chunk : chunks(List.copyOf(e.getValue()))) {
        if (chunk.isEmpty()) {
          continue;
        }
        try (PreparedStatement s =
            c.prepareStatement(
                "SELECT grant_id, account_id, amount, remaining, voided FROM "
                    + db.t("grants")
                    + " WHERE "
                    + dialect.tenantIdIn("tenant", "grant_id", chunk.size()))) {
          dialect.bindTenantIds(s, 1, e.getKey().value(), chunk);
          try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
              String id = rs.getString("grant_id");
              grants.put(
                  new GrantKey(e.getKey(), GrantId.of(id)),
                  new GrantState(
                      id,
                      AccountId.of(rs.getString("account_id")),
                      rs.getLong("amount"),
                      rs.getLong("remaining"),
                      rs.getBoolean("voided"),
                      null));
            }
          }
        }
      }
    }
  }

  /** The reservation as the batch sees it, or null if there is none. */
  private @Nullable Reservation currentReservation(TenantId tenant, ReservationId id) {
    ReservationKey k = new ReservationKey(tenant, id);
    if (reservations.containsKey(k)) {
      return reservations.get(k);
    }
    try {
      Reservation stored = reads.reservation(c, tenant, id).orElse(null);
      reservations.put(k, stored);
      return stored;
    } catch (SQLException e) {
      throw new SqlInLambda(e);
    }
  }

  /** The transaction already stored (or claimed earlier in this batch) under w's key, or null. */
  private @Nullable LedgerTransaction prior(LedgerWrite w) throws SQLException {
    LedgerTransaction t = w.transaction();
    LedgerTransaction prior = claimed.get(new KeyRef(t.tenant(), t.idempotencyKey()));
    return prior != null ? prior : reads.byKey(c, t.tenant(), t.idempotencyKey()).orElse(null);
  }

  private CommitResult decide(LedgerWrite w) throws SQLException {
    LedgerTransaction t = w.transaction();
    TenantId tenant = t.tenant();
    AccountState a = accounts.get(new AccountKey(tenant, t.account()));
    if (a == null) {
      return new CommitResult.Rejected("unknown account " + t.account());
    }
    LedgerTransaction prior = prior(w);
    if (prior != null) {
      return new CommitResult.Duplicate(prior);
    }
    if (w.expectedVersion() != a.version) {
      // Answered before anything else is read: the account lock is held meanwhile.
      return new CommitResult.VersionConflict(w.expectedVersion(), a.version);
    }
    if (t.sequence() <= a.lastSequence) {
      // Another process, holding a later block of numbers, wrote to the account since this
      // number was drawn: numbered this way, the account's transactions would be out of commit
      // order. Decide again with a number from a fresh block.
      sequences.discard(t.sequence());
      return new CommitResult.VersionConflict(w.expectedVersion(), a.version);
    }
    if (!grantsLoaded) {
      preloadGrants(writes);
      grantsLoaded = true;
    }
    Unit unit = a.account.unit();
    for (Posting p : t.postings()) {
      if (!p.amount().unit().equals(unit)) {
        return new CommitResult.Rejected(
            "posting in " + p.amount().unit() + " on an account in " + unit);
      }
    }
    Map<GrantId, Grant> created = new LinkedHashMap<>();
    for (Grant g : w.newGrants()) {
      GrantState stored = grants.get(new GrantKey(tenant, g.id()));
      if (stored != null || created.put(g.id(), g) != null) {
        return new CommitResult.Rejected("grant id " + g.id() + " already exists in the tenant");
      }
      if (!g.amount().unit().equals(unit)) {
        return new CommitResult.Rejected("grant " + g.id() + " is not in " + unit);
      }
    }
    Map<GrantId, Long> deltas = w.grantDeltas();
    Map<GrantId, Long> after = new LinkedHashMap<>();
    for (Map.Entry<GrantId, Long> d : deltas.entrySet()) {
      GrantState before = grants.get(new GrantKey(tenant, d.getKey()));
      Grant fresh = created.get(d.getKey());
      long amount;
      long remaining;
      if (fresh != null) {
        amount = fresh.amount().minor();
        remaining = d.getValue();
      } else if (before != null && before.account.equals(t.account())) {
        amount = before.amount;
        remaining = Math.addExact(before.remaining, d.getValue());
      } else {
        return new CommitResult.Rejected("unknown grant " + d.getKey() + " on " + t.account());
      }
      Optional<String> broken = WriteRules.checkGrant(d.getKey().value(), remaining, amount);
      if (broken.isPresent()) {
        return new CommitResult.Rejected(broken.get());
      }
      after.put(d.getKey(), remaining);
    }
    for (GrantId v : w.voidedGrants()) {
      GrantState stored = grants.get(new GrantKey(tenant, v));
      if ((stored == null || !stored.account.equals(t.account())) && !created.containsKey(v)) {
        return new CommitResult.Rejected("unknown grant " + v + " on " + t.account());
      }
    }
    long overdraft = Math.addExact(a.overdraft, w.overdraftDelta());
    Optional<String> broken = WriteRules.checkOverdraft(a.account, overdraft);
    if (broken.isPresent()) {
      return new CommitResult.Rejected(broken.get());
    }
    try {
      broken = WriteRules.checkReservations(w, id -> currentReservation(tenant, id));
    } catch (SqlInLambda e) {
      throw e.getCause();
    }
    if (broken.isPresent()) {
      return new CommitResult.Rejected(broken.get());
    }

    // Every check passed: record the write's effects for the flush.
    LedgerTransaction stored = stored(t);
    claimed.put(new KeyRef(tenant, t.idempotencyKey()), stored);
    committed.add(stored);
    for (Grant g : created.values()) {
      grants.put(
          new GrantKey(tenant, g.id()),
          new GrantState(g.id().value(), g.account(), g.amount().minor(), 0, false, g));
    }
    for (Map.Entry<GrantId, Long> e : after.entrySet()) {
      knownGrant(new GrantKey(tenant, e.getKey())).remaining = e.getValue();
    }
    for (GrantId v : w.voidedGrants()) {
      knownGrant(new GrantKey(tenant, v)).voided = true;
    }
    touched.addAll(after.keySet().stream().map(g -> new GrantKey(tenant, g)).toList());
    w.voidedGrants().forEach(g -> touched.add(new GrantKey(tenant, g)));
    for (Reservation r : w.newReservations()) {
      ReservationKey k = new ReservationKey(tenant, r.id());
      reservations.put(k, r);
      openedReservations.add(k);
    }
    for (Map.Entry<ReservationId, ReservationState> e : w.resolvedReservations().entrySet()) {
      ReservationKey k = new ReservationKey(tenant, e.getKey());
      reservations.put(k, knownReservation(k).resolved(e.getValue(), t.id()));
      resolvedReservations.add(k);
    }
    a.overdraft = overdraft;
    if (w.alert().isPresent()) {
      a.alert = w.alert();
    }
    a.version++;
    a.lastSequence = t.sequence();
    a.changed = true;
    events.addAll(w.events());
    return new CommitResult.Committed(stored);
  }

  /** Writes everything the batch decided, in an order that satisfies the foreign keys. */
  private void flush() throws SQLException {
    if (committed.isEmpty()) {
      return;
    }
    updateAccounts();
    insertGrants();
    updateGrants();
    insertTransactions();
    insertPostings();
    insertReservations();
    updateReservations();
    insertEvents();
  }

  private void updateAccounts() throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE "
                + db.t("accounts")
                + " SET version = ?, overdraft = ?, alert_threshold = ?, alert_rearm_at = ?,"
                + " alert_below = ?, last_sequence = ? WHERE tenant = ? AND account_id = ?")) {
      for (Map.Entry<AccountKey, AccountState> e : sorted(accounts)) {
        AccountState a = e.getValue();
        if (!a.changed) {
          continue;
        }
        s.setLong(1, a.version);
        s.setLong(2, a.overdraft);
        bindAlert(s, 3, a.alert);
        s.setLong(6, a.lastSequence);
        s.setString(7, e.getKey().tenant().value());
        s.setString(8, e.getKey().account().value());
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  private List<Map.Entry<AccountKey, AccountState>> sorted(Map<AccountKey, AccountState> map) {
    List<Map.Entry<AccountKey, AccountState>> entries = new ArrayList<>(map.entrySet());
    entries.sort(Map.Entry.comparingByKey(LOCK_ORDER));
    return entries;
  }

  private void insertGrants() throws SQLException {
    record Fresh(Grant grant, GrantState state) {}
    List<Fresh> fresh = new ArrayList<>();
    for (GrantState g : grants.values()) {
      if (g.created != null) {
        fresh.add(new Fresh(g.created, g));
      }
    }
    fresh.sort(
        Comparator.comparing((Fresh f) -> f.grant().tenant().value())
            .thenComparing(f -> f.state().id));
    if (fresh.isEmpty()) {
      return;
    }
    String json = dialect.jsonParameter();
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO "
                + db.t("grants")
                + " ("
                + StoreRows.GRANT_COLUMNS
                + ") VALUES (?, ?, ?,"
                + " ?, ?, ?, ?, ?, ?, "
                + json
                + ", "
                + json
                + ", "
                + json
                + ", ?, ?, ?, ?, ?, ?, ?)")) {
      for (Fresh f : fresh) {
        Grant g = f.grant();
        GrantState state = f.state();
        s.setString(1, g.tenant().value());
        s.setString(2, g.id().value());
        s.setString(3, g.account().value());
        s.setString(4, g.name());
        s.setString(5, g.category().code());
        s.setInt(6, g.priority());
        s.setLong(7, g.amount().minor());
        db.setInstant(s, 8, g.effectiveFrom());
        db.setInstant(s, 9, g.expiresAt().orElse(null));
        s.setString(10, JsonCodec.scope(g.scope()));
        s.setString(11, JsonCodec.costBasis(g.costBasis()));
        s.setString(12, JsonCodec.metadata(g.metadata()));
        s.setString(13, g.createdBy().id());
        s.setString(14, StoredActors.roles(g.createdBy()));
        db.setInstant(s, 15, g.createdAt());
        s.setLong(16, g.sequence());
        s.setLong(17, state.remaining);
        s.setBoolean(18, state.voided);
        s.setBoolean(19, state.remaining > 0);
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  private void updateGrants() throws SQLException {
    List<GrantKey> changed =
        touched.stream()
            .filter(k -> knownGrant(k).created == null)
            .sorted(
                Comparator.comparing((GrantKey k) -> k.tenant().value())
                    .thenComparing(k -> k.grant().value()))
            .toList();
    if (changed.isEmpty()) {
      return;
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE "
                + db.t("grants")
                + " SET remaining = ?, voided = ?, live = ? WHERE tenant = ? AND grant_id = ?")) {
      for (GrantKey k : changed) {
        GrantState g = knownGrant(k);
        s.setLong(1, g.remaining);
        s.setBoolean(2, g.voided);
        s.setBoolean(3, g.remaining > 0);
        s.setString(4, k.tenant().value());
        s.setString(5, k.grant().value());
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  private void insertTransactions() throws SQLException {
    // In key order, so that two batches racing for the same keys wait on them in one order.
    List<LedgerTransaction> rows = new ArrayList<>(committed);
    rows.sort(
        Comparator.comparing((LedgerTransaction x) -> x.tenant().value())
            .thenComparing(x -> x.idempotencyKey().value()));
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO "
                + db.t("transactions")
                + " ("
                + StoreRows.TRANSACTION_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                + dialect.jsonParameter()
                + ", ?, ?, ?)")) {
      for (LedgerTransaction x : rows) {
        s.setString(1, x.tenant().value());
        s.setString(2, x.id().value());
        s.setString(3, x.account().value());
        s.setString(4, x.type().name());
        s.setString(5, x.idempotencyKey().value());
        s.setString(6, x.fingerprint());
        s.setString(7, x.actor().id());
        s.setString(8, StoredActors.roles(x.actor()));
        s.setString(9, x.reason());
        db.setInstant(s, 10, x.recordedAt());
        db.setInstant(s, 11, x.effectiveAt());
        s.setString(12, JsonCodec.metadata(x.references()));
        s.setString(13, x.corrects().map(TransactionId::value).orElse(null));
        s.setLong(14, x.sequence());
        s.setString(15, StoreRows.invoiceOf(x));
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  private void insertPostings() throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO "
                + db.t("postings")
                + " ("
                + StoreRows.POSTING_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?)")) {
      int rows = 0;
      for (LedgerTransaction x : committed) {
        List<Posting> postings = x.postings();
        for (int i = 0; i < postings.size(); i++) {
          Posting p = postings.get(i);
          s.setString(1, x.tenant().value());
          s.setString(2, x.id().value());
          s.setInt(3, i);
          s.setString(4, p.account().kind().name());
          s.setString(5, p.account().isGrant() ? p.account().grantId() : null);
          s.setLong(6, p.amount().minor());
          s.addBatch();
          rows++;
        }
      }
      if (rows > 0) {
        s.executeBatch();
      }
    }
  }

  private void insertReservations() throws SQLException {
    List<ReservationKey> fresh =
        openedReservations.stream()
            .sorted(
                Comparator.comparing((ReservationKey k) -> k.tenant().value())
                    .thenComparing(k -> k.id().value()))
            .toList();
    if (fresh.isEmpty()) {
      return;
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO "
                + db.t("reservations")
                + " ("
                + StoreRows.RESERVATION_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (ReservationKey k : fresh) {
        Reservation r = knownReservation(k);
        s.setString(1, r.tenant().value());
        s.setString(2, r.id().value());
        s.setString(3, r.account().value());
        s.setString(4, r.kind().name());
        s.setString(5, r.itemCode());
        s.setLong(6, r.held().minor());
        s.setString(7, r.hold().value());
        db.setInstant(s, 8, r.createdAt());
        db.setInstant(s, 9, r.expiresAt());
        s.setString(10, r.state().name());
        s.setString(11, r.resolution().map(TransactionId::value).orElse(null));
        s.setLong(12, r.sequence());
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  private void updateReservations() throws SQLException {
    List<ReservationKey> changed =
        resolvedReservations.stream()
            .filter(k -> !openedReservations.contains(k))
            .sorted(
                Comparator.comparing((ReservationKey k) -> k.tenant().value())
                    .thenComparing(k -> k.id().value()))
            .toList();
    if (changed.isEmpty()) {
      return;
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE "
                + db.t("reservations")
                + " SET state = ?, resolution = ? WHERE tenant = ? AND reservation_id = ?"
                + " AND state = 'ACTIVE'")) {
      for (ReservationKey k : changed) {
        Reservation r = knownReservation(k);
        s.setString(1, r.state().name());
        s.setString(2, r.resolution().map(TransactionId::value).orElseThrow());
        s.setString(3, k.tenant().value());
        s.setString(4, k.id().value());
        s.addBatch();
      }
      int[] counts = s.executeBatch();
      for (int n : counts) {
        if (n == 0) {
          // The account lock makes this impossible; refuse to commit if it ever happens.
          throw new IllegalStateException("a reservation left ACTIVE under the account lock");
        }
      }
    }
  }

  private void insertEvents() throws SQLException {
    if (events.isEmpty()) {
      return;
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO "
                + db.t("outbox")
                + " (tenant, event_id, event_type, payload) VALUES (?, ?, ?, "
                + dialect.jsonParameter()
                + ")")) {
      for (BillingEvent e : events) {
        s.setString(1, e.tenant().value());
        s.setString(2, e.id());
        s.setString(3, e.getClass().getSimpleName());
        s.setString(4, JsonCodec.event(e));
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  /** The transaction as it is stored: instants at microsecond precision. */
  static LedgerTransaction stored(LedgerTransaction t) {
    Instant recorded = micros(t.recordedAt());
    Instant effective = micros(t.effectiveAt());
    if (recorded.equals(t.recordedAt()) && effective.equals(t.effectiveAt())) {
      return t;
    }
    return new LedgerTransaction(
        t.id(),
        t.tenant(),
        t.account(),
        t.type(),
        t.idempotencyKey(),
        t.fingerprint(),
        t.actor(),
        t.reason(),
        recorded,
        effective,
        t.postings(),
        t.references(),
        t.sequence());
  }

  /** Carries a checked SQL failure out of a lambda the SPI's rule helpers call. */
  private static final class SqlInLambda extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final SQLException sql;

    SqlInLambda(SQLException cause) {
      super(cause);
      this.sql = cause;
    }

    @Override
    public synchronized SQLException getCause() {
      return sql;
    }
  }
}
