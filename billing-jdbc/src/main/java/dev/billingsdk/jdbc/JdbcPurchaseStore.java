package dev.billingsdk.jdbc;

import dev.billingsdk.AccountId;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.TenantId;
import dev.billingsdk.catalogue.CatalogueItem;
import dev.billingsdk.money.Amount;
import dev.billingsdk.money.CurrencyUnit;
import dev.billingsdk.purchase.Purchase;
import dev.billingsdk.purchase.PurchaseConflictException;
import dev.billingsdk.purchase.PurchaseId;
import dev.billingsdk.purchase.PurchaseState;
import dev.billingsdk.purchase.PurchaseTransition;
import dev.billingsdk.purchase.PurchasedItem;
import dev.billingsdk.spi.PurchaseStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@link PurchaseStore} on the host's {@link DataSource}, in the tables {@code
 * <prefix>purchases} and {@code <prefix>purchase_transitions} that schema version 5 adds (apply the
 * schema with {@link JdbcBillingStore.Builder#applySchema} or the shipped scripts first).
 *
 * <p>Creating a purchase is one {@code INSERT}; the primary key (tenant, purchase id) decides
 * between two creators, and the loser reads the winner's purchase. A transition is one database
 * transaction: an {@code UPDATE} of the purchase to {@code current.after(transition)} on the
 * version it was decided on (no row: the version moved, nothing is written), then the {@code
 * INSERT} of the transition, which the unique (tenant, purchase id, cause) refuses for a cause
 * applied before (the update is rolled back with it). The unique indexes on (provider,
 * checkout_ref) and (provider, payment_ref) keep a provider's reference to one purchase and serve
 * {@link #findByProviderRef}.
 */
public final class JdbcPurchaseStore implements PurchaseStore {
  private final DataSource dataSource;
  private final Dialect dialect;
  private final String purchases;
  private final String transitions;

  private JdbcPurchaseStore(DataSource dataSource, Dialect dialect, String prefix) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.purchases = prefix + "purchases";
    this.transitions = prefix + "purchase_transitions";
  }

  /**
   * The purchases on {@code dataSource}, in the tables under {@code tablePrefix} (the billing
   * store's, {@link Schema#DEFAULT_PREFIX} by default). The schema must already be at {@link
   * Schema#VERSION}: {@link JdbcBillingStore.Builder#applySchema} or the shipped scripts apply it.
   *
   * @throws SchemaVersionException if the schema is at another version
   * @throws dev.billingsdk.spi.StoreFailureException if the database cannot be reached
   */
  public static JdbcPurchaseStore create(DataSource dataSource, String tablePrefix) {
    String prefix = Schema.checkPrefix(tablePrefix);
    return new JdbcPurchaseStore(dataSource, StoreSupport.start(dataSource, prefix), prefix);
  }

  private static final String COLUMNS =
      "tenant, purchase_id, account_id, item_kind, item_id, item_version, item_name, currency,"
          + " currency_scale, amount, provider, state, checkout_ref, payment_ref, refunded,"
          + " needs_review, created_at, updated_at, version";

  private static final String TRANSITION_COLUMNS =
      "tenant, purchase_id, sequence, from_state, to_state, occurred_at, cause, detail,"
          + " checkout_ref, payment_ref, currency, currency_scale, refunded, review";

  @Override
  public Purchase createIfAbsent(Purchase purchase) {
    InvalidRequestException.requireNonNull(purchase, "purchase");
    String sql =
        "INSERT INTO "
            + purchases
            + " ("
            + COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    for (int attempt = 1; ; attempt++) {
      try (Connection c = dataSource.getConnection();
          PreparedStatement s = c.prepareStatement(sql)) {
        c.setAutoCommit(true);
        bindPurchase(s, purchase);
        s.executeUpdate();
        return purchase;
      } catch (SQLException e) {
        if (dialect.isUniqueViolation(e)) {
          Optional<Purchase> stored = purchase(purchase.tenant(), purchase.id());
          if (stored.isPresent()) {
            return stored.get();
          }
          if (refsTakenBy(purchase).isPresent()) {
            throw new PurchaseConflictException(
                purchase.id(),
                "its checkout reference or payment id at "
                    + purchase.provider()
                    + " names another purchase");
          }
          // Neither the id nor a reference is held now: the holder rolled back. Insert again.
        } else if (!dialect.isRetryable(e)) {
          throw StoreSupport.failure("creating purchase " + purchase.id(), e);
        }
        if (attempt >= StoreSupport.MAX_ATTEMPTS) {
          throw StoreSupport.failure("creating purchase " + purchase.id(), e);
        }
        StoreSupport.backOff(attempt);
      }
    }
  }

  /** Binds the 19 {@link #COLUMNS} of {@code p}, in order, from parameter 1. */
  private void bindPurchase(PreparedStatement s, Purchase p) throws SQLException {
    s.setString(1, p.tenant().value());
    s.setString(2, p.id().value());
    bindMutable(s, 3, p);
  }

  /** Binds every column but the key (17 of them, from {@code account_id} on) from {@code from}. */
  private int bindMutable(PreparedStatement s, int from, Purchase p) throws SQLException {
    int i = from;
    s.setString(i++, p.account().value());
    s.setString(i++, p.item().kind().name());
    s.setString(i++, p.item().itemId());
    s.setInt(i++, p.item().version());
    s.setString(i++, p.item().name());
    s.setString(i++, p.currency().code());
    s.setInt(i++, p.currency().scale());
    s.setLong(i++, p.amount().minor());
    s.setString(i++, p.provider());
    s.setString(i++, p.state().name());
    s.setString(i++, p.checkoutRef().orElse(null));
    s.setString(i++, p.paymentRef().orElse(null));
    s.setLong(i++, p.refunded().minor());
    s.setBoolean(i++, p.needsReview());
    dialect.bindInstant(s, i++, p.createdAt());
    dialect.bindInstant(s, i++, p.updatedAt());
    s.setLong(i++, p.version());
    return i;
  }

  /** A purchase other than {@code p} that holds one of its references, read now. */
  private Optional<Purchase> refsTakenBy(Purchase p) {
    for (Optional<String> ref : List.of(p.checkoutRef(), p.paymentRef())) {
      if (ref.isPresent()) {
        Optional<Purchase> holder = findByProviderRef(p.provider(), ref.get());
        if (holder.isPresent()
            && !(holder.get().tenant().equals(p.tenant()) && holder.get().id().equals(p.id()))) {
          return holder;
        }
      }
    }
    return Optional.empty();
  }

  @Override
  public Optional<Purchase> purchase(TenantId tenant, PurchaseId id) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(id, "purchase");
    return select(
            "SELECT " + COLUMNS + " FROM " + purchases + " WHERE tenant = ? AND purchase_id = ?",
            tenant.value(),
            id.value())
        .stream()
        .findFirst();
  }

  @Override
  public Optional<Purchase> findByProviderRef(String provider, String ref) {
    InvalidRequestException.requireNonNull(provider, "provider");
    InvalidRequestException.requireNonNull(ref, "ref");
    if (!StoreSupport.isIdentifier(provider) || !StoreSupport.isIdentifier(ref)) {
      return Optional.empty();
    }
    // Each half is served by its unique index; a checkout reference is preferred to a payment id.
    String sql =
        "SELECT "
            + COLUMNS
            + ", 0 AS ref_role FROM "
            + purchases
            + " WHERE provider = ? AND checkout_ref = ?"
            + " UNION ALL SELECT "
            + COLUMNS
            + ", 1 AS ref_role FROM "
            + purchases
            + " WHERE provider = ? AND payment_ref = ?"
            + " ORDER BY ref_role";
    return select(sql, provider, ref, provider, ref).stream().findFirst();
  }

  @Override
  public Optional<Purchase> transition(Purchase current, PurchaseTransition transition) {
    InvalidRequestException.requireNonNull(current, "current");
    // Refuses a step that is not the next one of current, before anything is read.
    Purchase next = current.after(transition);
    for (int attempt = 1; ; attempt++) {
      try (Connection c = dataSource.getConnection()) {
        return transitionOnce(c, current, transition, next);
      } catch (SQLException e) {
        if (!dialect.isRetryable(e) || attempt >= StoreSupport.MAX_ATTEMPTS) {
          throw StoreSupport.failure("applying a transition of purchase " + current.id(), e);
        }
        StoreSupport.backOff(attempt);
      }
    }
  }

  private Optional<Purchase> transitionOnce(
      Connection c, Purchase current, PurchaseTransition t, Purchase next) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      int updated;
      try {
        updated = update(c, current, next);
      } catch (SQLException e) {
        if (!dialect.isUniqueViolation(e)) {
          throw e;
        }
        // A reference the step gives is held by another purchase; unless the cause was applied
        // before (the step is refused for that first, as a repeated delivery must be), a conflict.
        StoreSupport.rollbackQuietly(c);
        if (causeApplied(c, t)) {
          return Optional.empty();
        }
        throw new PurchaseConflictException(
            current.id(),
            "its checkout reference or payment id at "
                + current.provider()
                + " would name another purchase");
      }
      if (updated == 0) {
        c.rollback();
        if (!exists(c, current)) {
          throw new PurchaseConflictException(current.id(), "no such purchase");
        }
        return Optional.empty();
      }
      try {
        insertTransition(c, t, current.currency());
      } catch (SQLException e) {
        if (!dialect.isUniqueViolation(e)) {
          throw e;
        }
        // The cause was applied before: the update goes back with it.
        StoreSupport.rollbackQuietly(c);
        return Optional.empty();
      }
      c.commit();
      return Optional.of(next);
    } catch (SQLException | RuntimeException e) {
      StoreSupport.rollbackQuietly(c);
      throw e;
    } finally {
      StoreSupport.restore(c, autoCommit);
    }
  }

  private int update(Connection c, Purchase current, Purchase next) throws SQLException {
    String sql =
        "UPDATE "
            + purchases
            + " SET account_id = ?, item_kind = ?, item_id = ?, item_version = ?, item_name = ?,"
            + " currency = ?, currency_scale = ?, amount = ?, provider = ?, state = ?,"
            + " checkout_ref = ?, payment_ref = ?, refunded = ?, needs_review = ?, created_at = ?,"
            + " updated_at = ?, version = ?"
            + " WHERE tenant = ? AND purchase_id = ? AND version = ?";
    try (PreparedStatement s = c.prepareStatement(sql)) {
      int i = bindMutable(s, 1, next);
      s.setString(i++, current.tenant().value());
      s.setString(i++, current.id().value());
      s.setLong(i, current.version());
      return s.executeUpdate();
    }
  }

  private void insertTransition(Connection c, PurchaseTransition t, CurrencyUnit currency)
      throws SQLException {
    String sql =
        "INSERT INTO "
            + transitions
            + " ("
            + TRANSITION_COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, t.tenant().value());
      s.setString(2, t.purchase().value());
      s.setLong(3, t.sequence());
      s.setString(4, t.from().name());
      s.setString(5, t.to().name());
      dialect.bindInstant(s, 6, t.at());
      s.setString(7, t.cause());
      s.setString(8, t.detail());
      s.setString(9, t.checkoutRef().orElse(null));
      s.setString(10, t.paymentRef().orElse(null));
      // Purchase.after added the step's refund to the purchase's: it is in the purchase's currency.
      s.setString(11, currency.code());
      s.setInt(12, currency.scale());
      s.setLong(13, t.refunded().minor());
      s.setBoolean(14, t.review());
      s.executeUpdate();
    }
  }

  private boolean exists(Connection c, Purchase p) throws SQLException {
    String sql = "SELECT 1 FROM " + purchases + " WHERE tenant = ? AND purchase_id = ?";
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, p.tenant().value());
      s.setString(2, p.id().value());
      try (ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    }
  }

  private boolean causeApplied(Connection c, PurchaseTransition t) throws SQLException {
    String sql =
        "SELECT 1 FROM " + transitions + " WHERE tenant = ? AND purchase_id = ? AND cause = ?";
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, t.tenant().value());
      s.setString(2, t.purchase().value());
      s.setString(3, t.cause());
      try (ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    }
  }

  @Override
  public List<PurchaseTransition> transitions(TenantId tenant, PurchaseId id) {
    InvalidRequestException.requireNonNull(tenant, "tenant");
    InvalidRequestException.requireNonNull(id, "purchase");
    String sql =
        "SELECT "
            + TRANSITION_COLUMNS
            + " FROM "
            + transitions
            + " WHERE tenant = ? AND purchase_id = ? ORDER BY sequence";
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, tenant.value());
      s.setString(2, id.value());
      List<PurchaseTransition> out = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(transitionRow(rs));
        }
      }
      return out;
    } catch (SQLException e) {
      throw StoreSupport.failure("reading the transitions of purchase " + id, e);
    }
  }

  private List<Purchase> select(String sql, String... params) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setString(i + 1, params[i]);
      }
      List<Purchase> out = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(purchaseRow(rs));
        }
      }
      return out;
    } catch (SQLException e) {
      throw StoreSupport.failure("reading purchases", e);
    }
  }

  private Purchase purchaseRow(ResultSet rs) throws SQLException {
    String id = rs.getString("purchase_id");
    try {
      CurrencyUnit currency = currency(rs);
      return new Purchase(
          TenantId.of(rs.getString("tenant")),
          PurchaseId.of(id),
          AccountId.of(rs.getString("account_id")),
          new PurchasedItem(
              CatalogueItem.Kind.valueOf(rs.getString("item_kind")),
              rs.getString("item_id"),
              rs.getInt("item_version"),
              rs.getString("item_name")),
          Amount.ofMinor(currency, rs.getLong("amount")),
          rs.getString("provider"),
          PurchaseState.valueOf(rs.getString("state")),
          Optional.ofNullable(rs.getString("checkout_ref")),
          Optional.ofNullable(rs.getString("payment_ref")),
          Amount.ofMinor(currency, rs.getLong("refunded")),
          rs.getBoolean("needs_review"),
          dialect.readInstant(rs, "created_at"),
          dialect.readInstant(rs, "updated_at"),
          rs.getLong("version"));
    } catch (RuntimeException e) {
      throw corrupt("purchase " + id, e);
    }
  }

  private PurchaseTransition transitionRow(ResultSet rs) throws SQLException {
    String id = rs.getString("purchase_id");
    long sequence = rs.getLong("sequence");
    try {
      return new PurchaseTransition(
          TenantId.of(rs.getString("tenant")),
          PurchaseId.of(id),
          sequence,
          PurchaseState.valueOf(rs.getString("from_state")),
          PurchaseState.valueOf(rs.getString("to_state")),
          dialect.readInstant(rs, "occurred_at"),
          rs.getString("cause"),
          rs.getString("detail"),
          Optional.ofNullable(rs.getString("checkout_ref")),
          Optional.ofNullable(rs.getString("payment_ref")),
          Amount.ofMinor(currency(rs), rs.getLong("refunded")),
          rs.getBoolean("review"));
    } catch (RuntimeException e) {
      throw corrupt("transition " + sequence + " of purchase " + id, e);
    }
  }

  /** The row's currency, whose minor units must still be the ones it was stored with. */
  private static CurrencyUnit currency(ResultSet rs) throws SQLException {
    CurrencyUnit currency = CurrencyUnit.of(rs.getString("currency"));
    int scale = rs.getInt("currency_scale");
    if (currency.scale() != scale) {
      throw new IllegalStateException(
          "stored with "
              + scale
              + " decimal places, but "
              + currency.code()
              + " has "
              + currency.scale()
              + " now: its minor units are not what they were");
    }
    return currency;
  }

  private static IllegalStateException corrupt(String what, RuntimeException cause) {
    return new IllegalStateException(
        "stored " + what + " is corrupt: " + cause.getMessage(), cause);
  }
}
