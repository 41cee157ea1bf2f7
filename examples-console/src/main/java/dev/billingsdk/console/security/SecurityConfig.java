package dev.billingsdk.console.security;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;

/**
 * OAuth 2.0 bearer tokens (RFC 6750) as JWTs, through Spring Security's resource server:
 *
 * <ul>
 *   <li>{@code /api/**}, the administrative HTTP API: the token in the {@code Authorization} header
 *       only; no session, no cookie. Missing or bad tokens get 401 with {@code WWW-Authenticate:
 *       Bearer error="invalid_token"}; a role the route needs, 403 with {@code
 *       error="insufficient_scope"}. {@code /api/admin/**} needs the admin role.
 *   <li>the pages: the same token, kept in an HTTP-only, same-site cookie by the demo sign-in, so a
 *       browser can carry it; forms are protected against cross-site requests. Without a valid
 *       token a page sends the browser to {@code /login}. {@code /billing/**} (seed 000's Billing
 *       page) needs the finance or admin role.
 *   <li>the webhook endpoints and health: open (the webhooks are verified by signature).
 * </ul>
 *
 * <p>Every token is checked for its signature, issuer, audience, expiry (on the console's clock)
 * and a tenant. Whatever a route allows, the library's access policy decides each operation for the
 * token's actor ({@link TokenActors}).
 */
@Configuration
public class SecurityConfig {
  /** The cookie the demo sign-in keeps the token in. */
  public static final String TOKEN_COOKIE = "console_token";

  @Bean
  DemoTokens demoTokens(Clock clock) {
    return new DemoTokens(clock);
  }

  @Bean
  JwtDecoder jwtDecoder(DemoTokens tokens, Clock clock) {
    NimbusJwtDecoder decoder = NimbusJwtDecoder.withPublicKey(tokens.publicKey()).build();
    JwtTimestampValidator timestamps = new JwtTimestampValidator(Duration.ZERO);
    timestamps.setClock(clock);
    List<OAuth2TokenValidator<Jwt>> validators =
        List.of(
            timestamps,
            new JwtIssuerValidator(DemoTokens.ISSUER),
            new JwtClaimValidator<List<String>>(
                "aud", aud -> aud != null && aud.contains(DemoTokens.AUDIENCE)),
            new JwtClaimValidator<String>("tenant", t -> t != null && !t.isBlank()),
            new JwtClaimValidator<String>("sub", s -> s != null && !s.isBlank()));
    decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
    return decoder;
  }

  @Bean
  JwtAuthenticationConverter jwtAuthenticationConverter() {
    JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
    converter.setJwtGrantedAuthoritiesConverter(TokenActors::authorities);
    return converter;
  }

  @Bean
  @Order(1)
  SecurityFilterChain api(HttpSecurity http, JwtAuthenticationConverter converter)
      throws Exception {
    http.securityMatcher("/api/**")
        .authorizeHttpRequests(
            a -> a.requestMatchers("/api/admin/**").hasRole("ADMIN").anyRequest().authenticated())
        .oauth2ResourceServer(o -> o.jwt(j -> j.jwtAuthenticationConverter(converter)))
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .csrf(AbstractHttpConfigurer::disable);
    return http.build();
  }

  @Bean
  @Order(2)
  SecurityFilterChain open(HttpSecurity http) throws Exception {
    http.securityMatcher("/billing/webhooks/**", "/actuator/health", "/actuator/health/**")
        .authorizeHttpRequests(a -> a.anyRequest().permitAll())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .csrf(AbstractHttpConfigurer::disable);
    return http.build();
  }

  @Bean
  @Order(3)
  SecurityFilterChain pages(HttpSecurity http, JwtAuthenticationConverter converter)
      throws Exception {
    LoginUrlAuthenticationEntryPoint toLogin = new LoginUrlAuthenticationEntryPoint("/login");
    http.authorizeHttpRequests(
            a ->
                a.requestMatchers("/login", "/console.css", "/favicon.ico", "/error")
                    .permitAll()
                    .requestMatchers("/billing/**")
                    .hasAnyRole("ADMIN", "FINANCE")
                    .anyRequest()
                    .authenticated())
        .oauth2ResourceServer(
            o ->
                o.bearerTokenResolver(cookieOrHeader())
                    .authenticationEntryPoint(toLogin)
                    .jwt(j -> j.jwtAuthenticationConverter(converter)))
        .exceptionHandling(e -> e.authenticationEntryPoint(toLogin))
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .csrf(c -> c.csrfTokenRepository(new CookieCsrfTokenRepository()))
        .headers(h -> h.frameOptions(f -> f.sameOrigin()));
    return http.build();
  }

  /** The {@code Authorization} header, else the sign-in cookie. */
  static BearerTokenResolver cookieOrHeader() {
    DefaultBearerTokenResolver header = new DefaultBearerTokenResolver();
    return request -> {
      String token = header.resolve(request);
      return token != null ? token : cookie(request);
    };
  }

  private static String cookie(HttpServletRequest request) {
    Cookie[] cookies = request.getCookies();
    if (cookies == null) {
      return null;
    }
    for (Cookie c : cookies) {
      if (TOKEN_COOKIE.equals(c.getName()) && !c.getValue().isBlank()) {
        return c.getValue();
      }
    }
    return null;
  }
}
