package dev.billingsdk.flutterwave;

import dev.billingsdk.jdbc.TestDatabases.Db;

/** The Flutterwave purchase stories on H2. */
class H2FlutterwaveStoriesTest extends DatabaseFlutterwaveStories {
  @Override
  Db db() {
    return Db.H2;
  }
}
