/**
 * Spring Boot auto-configuration for the billing library: the JDBC stores on the host's {@code
 * DataSource}, {@link dev.billingsdk.setup.Billing} with its clock and listeners, the payment
 * providers whose properties are present, the periodic jobs ({@link
 * dev.billingsdk.spring.BillingJobs}), the webhook endpoints ({@link
 * dev.billingsdk.spring.BillingWebhookController}) and health. Every bean backs off when the host
 * defines its own. See {@code docs/spring-boot.md}.
 */
@NullMarked
package dev.billingsdk.spring;

import org.jspecify.annotations.NullMarked;
