package dev.billingsdk.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The dialect is read from the product name the driver reports; unknown ones are refused. */
class DialectDetectionTest {

  /** A connection whose metadata names {@code product}; nothing else is answered. */
  private static Connection reporting(String product) {
    DatabaseMetaData meta =
        (DatabaseMetaData)
            Proxy.newProxyInstance(
                DatabaseMetaData.class.getClassLoader(),
                new Class<?>[] {DatabaseMetaData.class},
                (p, m, a) -> {
                  if (m.getName().equals("getDatabaseProductName")) {
                    return product;
                  }
                  throw new UnsupportedOperationException(m.getName());
                });
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (p, m, a) -> {
              if (m.getName().equals("getMetaData")) {
                return meta;
              }
              throw new UnsupportedOperationException(m.getName());
            });
  }

  @ParameterizedTest
  @CsvSource({"PostgreSQL, POSTGRESQL", "MariaDB, MARIADB", "H2, H2"})
  void theProductNameChoosesTheDialect(String product, String constant) throws Exception {
    // The built-in constant of that name: the one instance the stores compare against.
    assertThat(Dialect.detect(reporting(product)))
        .isSameAs(Dialect.class.getField(constant).get(null));
  }

  @ParameterizedTest
  @ValueSource(strings = {"MySQL", "Oracle", "Microsoft SQL Server"})
  void otherDatabasesAreRefusedWithAReason(String product) {
    assertThatThrownBy(() -> Dialect.detect(reporting(product)))
        .isInstanceOf(dev.billingsdk.InvalidRequestException.class)
        .hasMessageContaining(product.equals("MySQL") ? "MySQL is not supported" : product);
  }
}
