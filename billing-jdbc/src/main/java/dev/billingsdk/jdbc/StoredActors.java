package dev.billingsdk.jdbc;

import dev.billingsdk.Actor;
import dev.billingsdk.Role;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/** An actor as two columns: its id, and its roles as sorted names joined by commas. */
final class StoredActors {
  private StoredActors() {}

  static String roles(Actor actor) {
    return actor.roles().stream().map(Role::name).sorted().collect(Collectors.joining(","));
  }

  static Actor actor(String id, String roles) {
    Set<Role> set = EnumSet.noneOf(Role.class);
    if (!roles.isEmpty()) {
      for (String r : roles.split(",")) {
        set.add(Role.valueOf(r));
      }
    }
    return new Actor(id, set);
  }
}
