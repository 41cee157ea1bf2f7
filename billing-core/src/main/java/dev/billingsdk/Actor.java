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

  /** An actor with {@code roles}; a null, missing or repeated role is refused naming "roles". */
  public static Actor of(String id, Role... roles) {
    return new Actor(id, Set.copyOf(InputContract.distinct("roles", roles)));
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
