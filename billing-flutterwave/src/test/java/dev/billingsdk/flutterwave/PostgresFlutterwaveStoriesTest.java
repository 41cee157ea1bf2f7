package dev.billingsdk.flutterwave;

import dev.billingsdk.jdbc.TestDatabases.Db;

/** The Flutterwave purchase stories on POSTGRESQL. */
class PostgresFlutterwaveStoriesTest extends DatabaseFlutterwaveStories {
  @Override
  Db db() {
    return Db.POSTGRESQL;
  }
}
