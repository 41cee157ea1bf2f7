package dev.billingsdk.jdbc;

import dev.billingsdk.Identifiers;
import dev.billingsdk.InputContract;
import dev.billingsdk.InvalidRequestException;
import dev.billingsdk.payment.ProviderEvent;
import dev.billingsdk.spi.ProviderEventStore;
import dev.billingsdk.spi.StoredProviderEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The {@link ProviderEventStore} on the host's {@link DataSource}, in the table {@code
 * <prefix>provider_events} that schema version 5 adds (apply the schema with {@link
 * JdbcBillingStore.Builder#applySchema} or the shipped scripts first).
 *
 * <p>Recording a delivery is one {@code INSERT}: the primary key (provider, event id) is the claim,
 * so of two instances receiving one event exactly one stores it, and the other's unique violation
 * answers {@code false}. Marking it processed is one {@code UPDATE ... WHERE processed_at IS NULL},
 * so the first mark stays. The payload is text of any length the contract allows ({@code TEXT},
 * {@code LONGTEXT}, {@code CLOB}), kept byte for byte.
 */
public final class JdbcProviderEventStore implements ProviderEventStore {
  private final DataSource dataSource;
  private final Dialect dialect;
  private final String table;

  private JdbcProviderEventStore(DataSource dataSource, Dialect dialect, String prefix) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.table = prefix + "provider_events";
  }

  /**
   * The provider events on {@code dataSource}, in the tables under {@code tablePrefix} (the billing
   * store's, {@link Schema#DEFAULT_PREFIX} by default). The schema must already be at {@link
   * Schema#VERSION}: {@link JdbcBillingStore.Builder#applySchema} or the shipped scripts apply it.
   *
   * @throws SchemaVersionException if the schema is at another version
   * @throws dev.billingsdk.spi.StoreFailureException if the database cannot be reached
   */
  public static JdbcProviderEventStore create(DataSource dataSource, String tablePrefix) {
    String prefix = Schema.checkPrefix(tablePrefix);
    return new JdbcProviderEventStore(dataSource, StoreSupport.start(dataSource, prefix), prefix);
  }

  private static final String COLUMNS =
      "provider, event_id, event_type, kind, created_at, purchase_ref, checkout_ref, payment_ref,"
          + " payload, received_at, processed_at, outcome";

  @Override
  public boolean recordIfAbsent(ProviderEvent event, Instant receivedAt) {
    InvalidRequestException.requireNonNull(event, "event");
    Instant received = InputContract.instant(receivedAt, "receivedAt");
    String sql =
        "INSERT INTO "
            + table
            + " (provider, event_id, event_type, kind, created_at, purchase_ref, checkout_ref,"
            + " payment_ref, payload, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    for (int attempt = 1; ; attempt++) {
      try (Connection c = dataSource.getConnection();
          PreparedStatement s = c.prepareStatement(sql)) {
        c.setAutoCommit(true);
        s.setString(1, event.provider());
        s.setString(2, event.eventId());
        s.setString(3, event.type());
        s.setString(4, event.kind().name());
        dialect.bindInstant(s, 5, event.createdAt());
        s.setString(6, event.purchaseRef().orElse(null));
        s.setString(7, event.checkoutRef().orElse(null));
        s.setString(8, event.paymentRef().orElse(null));
        s.setString(9, event.payload());
        dialect.bindInstant(s, 10, received);
        s.executeUpdate();
        return true;
      } catch (SQLException e) {
        if (dialect.isUniqueViolation(e)) {
          return false;
        }
        if (!dialect.isRetryable(e) || attempt >= StoreSupport.MAX_ATTEMPTS) {
          throw StoreSupport.failure("recording provider event " + event, e);
        }
        StoreSupport.backOff(attempt);
      }
    }
  }

  @Override
  public Optional<StoredProviderEvent> find(String provider, String eventId) {
    InvalidRequestException.requireNonNull(provider, "provider");
    InvalidRequestException.requireNonNull(eventId, "eventId");
    if (!StoreSupport.isIdentifier(provider) || !StoreSupport.isIdentifier(eventId)) {
      return Optional.empty();
    }
    String sql = "SELECT " + COLUMNS + " FROM " + table + " WHERE provider = ? AND event_id = ?";
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, provider);
      s.setString(2, eventId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(row(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw StoreSupport.failure("reading provider event " + provider + " " + eventId, e);
    }
  }

  @Override
  public boolean markProcessed(String provider, String eventId, Instant at, String outcome) {
    InvalidRequestException.requireNonNull(provider, "provider");
    InvalidRequestException.requireNonNull(eventId, "eventId");
    // Checked first, as StoredProviderEvent checks them: refused whether or not the event is
    // stored.
    Instant processedAt = InputContract.instant(at, "processedAt");
    Identifiers.check(outcome, "outcome");
    if (!StoreSupport.isIdentifier(provider) || !StoreSupport.isIdentifier(eventId)) {
      return false;
    }
    String sql =
        "UPDATE "
            + table
            + " SET processed_at = ?, outcome = ?"
            + " WHERE provider = ? AND event_id = ? AND processed_at IS NULL";
    for (int attempt = 1; ; attempt++) {
      try (Connection c = dataSource.getConnection();
          PreparedStatement s = c.prepareStatement(sql)) {
        c.setAutoCommit(true);
        dialect.bindInstant(s, 1, processedAt);
        s.setString(2, outcome);
        s.setString(3, provider);
        s.setString(4, eventId);
        return s.executeUpdate() == 1;
      } catch (SQLException e) {
        if (!dialect.isRetryable(e) || attempt >= StoreSupport.MAX_ATTEMPTS) {
          throw StoreSupport.failure("marking provider event " + provider + " " + eventId, e);
        }
        StoreSupport.backOff(attempt);
      }
    }
  }

  private StoredProviderEvent row(ResultSet rs) throws SQLException {
    String provider = rs.getString("provider");
    String eventId = rs.getString("event_id");
    try {
      ProviderEvent event =
          new ProviderEvent(
              provider,
              eventId,
              rs.getString("event_type"),
              ProviderEvent.Kind.valueOf(rs.getString("kind")),
              dialect.readInstant(rs, "created_at"),
              Optional.ofNullable(rs.getString("purchase_ref")),
              Optional.ofNullable(rs.getString("checkout_ref")),
              Optional.ofNullable(rs.getString("payment_ref")),
              rs.getString("payload"));
      @Nullable Instant processedAt = dialect.readInstantOrNull(rs, "processed_at");
      return new StoredProviderEvent(
          event,
          dialect.readInstant(rs, "received_at"),
          Optional.ofNullable(processedAt),
          Optional.ofNullable(rs.getString("outcome")));
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "stored provider event " + provider + " " + eventId + " is corrupt: " + e.getMessage(),
          e);
    }
  }
}
