package dev.billingsdk.spring;

import dev.billingsdk.setup.Billing;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

/**
 * The webhook endpoints ({@link BillingWebhookController}) in a servlet web application; off with
 * {@code billing.webhooks.enabled=false}, or replaced by the application's own controller bean.
 */
@AutoConfiguration(after = BillingAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = "org.springframework.web.servlet.DispatcherServlet")
@ConditionalOnBooleanProperty(name = "billing.webhooks.enabled", matchIfMissing = true)
public class BillingWebhookAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(BillingWebhookController.class)
  @ConditionalOnBean(Billing.class)
  BillingWebhookController billingWebhookController(Billing billing) {
    return new BillingWebhookController(billing);
  }
}
