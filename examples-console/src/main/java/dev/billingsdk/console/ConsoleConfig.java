package dev.billingsdk.console;

import dev.billingsdk.flutterwave.FlutterwavePaymentProvider;
import dev.billingsdk.flutterwave.FlutterwaveSecretHash;
import dev.billingsdk.flutterwave.FlutterwaveSecretKey;
import dev.billingsdk.flutterwave.testing.FakeFlutterwave;
import dev.billingsdk.payment.PaymentProvider;
import dev.billingsdk.stripe.StripeApiKey;
import dev.billingsdk.stripe.StripePaymentProvider;
import dev.billingsdk.stripe.testing.FakeStripe;
import java.time.Clock;
import java.time.Instant;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The console's own beans: its clock, and the two payment providers, each talking to a local server
 * that speaks the provider's wire format ({@code FakeStripe}, {@code FakeFlutterwave}) so that a
 * purchase runs end to end with no account anywhere. A real host sets {@code billing.stripe.*} and
 * {@code billing.flutterwave.*} instead and defines none of these.
 */
@Configuration
public class ConsoleConfig {

  /**
   * The system's clock, or the instant of {@code console.now} (the tests fix it); pinned to last
   * month while the demo data is written.
   */
  @Bean
  ConsoleClock clock(@Value("${console.now:}") String now) {
    Clock base =
        now.isBlank()
            ? Clock.systemUTC()
            : Clock.fixed(Instant.parse(now), Clock.systemUTC().getZone());
    return new ConsoleClock(base);
  }

  @Bean(destroyMethod = "close")
  FakeStripe fakeStripe(ConsoleClock clock) {
    return FakeStripe.builder().clock(clock).start();
  }

  @Bean(destroyMethod = "close")
  FakeFlutterwave fakeFlutterwave(ConsoleClock clock) {
    return FakeFlutterwave.start(clock);
  }

  @Bean
  PaymentProvider stripe(FakeStripe fake, ConsoleClock clock) {
    return StripePaymentProvider.builder(StripeApiKey.of(fake.secretKey()))
        .webhookSecret(fake.webhookSecret())
        .baseUri(fake.baseUri())
        .clock(clock)
        .build();
  }

  @Bean
  PaymentProvider flutterwave(FakeFlutterwave fake, ConsoleClock clock) {
    return FlutterwavePaymentProvider.builder(FlutterwaveSecretKey.of(fake.secretKey()))
        .webhookSecretHash(FlutterwaveSecretHash.of(fake.secretHash()))
        .baseUri(fake.baseUri())
        .clock(clock)
        .build();
  }
}
