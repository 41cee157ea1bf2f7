package dev.billingsdk;

import java.util.Set;

/**
 * Who causes a write, with their roles. The ledger records the actor of every transaction; an
 * {@link AccessPolicy} decides what the actor may do.
 */
public record Actor(String id, Set<Role> roles) {

  public Actor {
    Identifiers.check(id, "actor");
    InvalidRequestException.requireNonNull(roles, "roles");
    for (Role role : roles) {
      InvalidRequestException.requireNonNull(role, "roles");
    }
    roles = Set.copyOf(roles);
  }

  /**
   * An actor with at least one role ({@code Actor.of("bob")} does not compile: an actor without a
   * role may do nothing, so it is spelled out as {@code new Actor("bob", Set.of())}); a null or
   * repeated role is refused naming "roles".
   */
  public static Actor of(String id, Role role, Role... more) {
    InvalidRequestException.requireNonNull(more, "roles");
    Role[] all = new Role[more.length + 1];
    all[0] = role;
    System.arraycopy(more, 0, all, 1, more.length);
    return new Actor(id, Set.copyOf(InputContract.distinct("roles", all)));
  }

  /** The host's automated jobs (metering, sweeps), acting with the {@link Role#SYSTEM} role. */
  public static Actor system(String id) {
    return new Actor(id, Set.of(Role.SYSTEM));
  }

  public boolean has(Role role) {
    return roles.contains(role);
  }

  @Override
  public String toString() {
    return id + roles;
  }
}
