package dev.billingsdk.console.security;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import dev.billingsdk.console.Directory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/**
 * The demo's token issuer: an RSA key made when the console starts, and the tokens it signs for the
 * demo people. A real host trusts its identity provider's keys instead (Spring Boot's {@code
 * spring.security.oauth2.resourceserver.jwt.issuer-uri}) and has no issuer of its own.
 */
public final class DemoTokens {
  /** The {@code iss} of every demo token. */
  public static final String ISSUER = "https://login.console.example/demo";

  /** The {@code aud} the console accepts. */
  public static final String AUDIENCE = "billing-console";

  /** How long a demo sign-in lasts. */
  public static final Duration LIFETIME = Duration.ofHours(8);

  private final RSAPublicKey publicKey;
  private final JwtEncoder encoder;
  private final Clock clock;

  public DemoTokens(Clock clock) {
    this(newKeyPair(), clock);
  }

  /** Tokens signed with {@code keys} (a test signs with another pair to tamper). */
  public DemoTokens(KeyPair keys, Clock clock) {
    this.publicKey = (RSAPublicKey) keys.getPublic();
    RSAKey jwk =
        new RSAKey.Builder(publicKey)
            .privateKey((RSAPrivateKey) keys.getPrivate())
            .keyID("console-demo")
            .build();
    this.encoder = new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(jwk)));
    this.clock = clock;
  }

  public static KeyPair newKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("RSA is missing from this JVM", e);
    }
  }

  /** The key the console verifies tokens with. */
  public RSAPublicKey publicKey() {
    return publicKey;
  }

  /** A token for {@code person}, valid for {@link #LIFETIME} from now. */
  public String issue(Directory.Person person) {
    return issue(person, ISSUER, AUDIENCE, clock.instant(), LIFETIME);
  }

  /** A token with every part chosen (for the tests of what is refused). */
  public String issue(
      Directory.Person person, String issuer, String audience, Instant issuedAt, Duration life) {
    JwtClaimsSet claims =
        JwtClaimsSet.builder()
            .issuer(issuer)
            .audience(List.of(audience))
            .subject(person.id())
            .issuedAt(issuedAt)
            .expiresAt(issuedAt.plus(life))
            .claim("tenant", person.tenant().value())
            .claim("email", person.email())
            .claim(
                "roles",
                person.roles().stream()
                    .map(r -> r.name().toLowerCase(Locale.ROOT))
                    .sorted()
                    .toList())
            .build();
    JwsHeader header = JwsHeader.with(SignatureAlgorithm.RS256).keyId("console-demo").build();
    return encoder.encode(JwtEncoderParameters.from(header, claims)).getTokenValue();
  }
}
