package dev.billingsdk.flutterwave;

import dev.billingsdk.jdbc.TestDatabases.Db;

/** The Flutterwave purchase stories on MARIADB. */
class MariaDbFlutterwaveStoriesTest extends DatabaseFlutterwaveStories {
  @Override
  Db db() {
    return Db.MARIADB;
  }
}
