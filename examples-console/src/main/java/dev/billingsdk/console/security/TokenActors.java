package dev.billingsdk.console.security;

import dev.billingsdk.Actor;
import dev.billingsdk.Role;
import dev.billingsdk.TenantId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * From a verified token to the library's {@link Actor} and tenant. Only the four roles a person can
 * hold are read ({@code admin}, {@code finance}, {@code partner}, {@code user}); {@code system} and
 * unknown names are dropped, so no token can act as the library's own jobs. The library's access
 * policy then decides every operation for that actor.
 */
public final class TokenActors {
  private static final Set<Role> PERSON_ROLES =
      EnumSet.of(Role.ADMIN, Role.FINANCE, Role.PARTNER, Role.USER);

  private TokenActors() {}

  /** The roles the token claims that a person may hold. */
  public static Set<Role> roles(Jwt jwt) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    List<String> claimed = jwt.getClaimAsStringList("roles");
    if (claimed != null) {
      for (String name : claimed) {
        for (Role r : PERSON_ROLES) {
          if (r.name().equals(name.toUpperCase(Locale.ROOT))) {
            roles.add(r);
          }
        }
      }
    }
    return roles;
  }

  /** Spring Security's authorities: {@code ROLE_ADMIN} and so on. */
  public static Collection<GrantedAuthority> authorities(Jwt jwt) {
    List<GrantedAuthority> out = new ArrayList<>();
    for (Role r : roles(jwt)) {
      out.add(new SimpleGrantedAuthority("ROLE_" + r.name()));
    }
    return out;
  }

  /**
   * The actor: the token's subject with its roles.
   *
   * @throws NoRoleException when the token names no role a person may hold (the access policy never
   *     sees such an actor)
   */
  public static Actor actor(Jwt jwt) {
    Set<Role> roles = roles(jwt);
    if (roles.isEmpty()) {
      throw new NoRoleException(jwt.getSubject());
    }
    Role[] all = roles.toArray(Role[]::new);
    Role[] rest = new Role[all.length - 1];
    System.arraycopy(all, 1, rest, 0, rest.length);
    return Actor.of(jwt.getSubject(), all[0], rest);
  }

  /** The tenant the token was issued for. */
  public static TenantId tenant(Jwt jwt) {
    return TenantId.of(jwt.getClaimAsString("tenant"));
  }

  /** A verified token that names no role a person may hold. */
  public static final class NoRoleException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NoRoleException(String subject) {
      super("the token of " + subject + " names no role");
    }
  }
}
