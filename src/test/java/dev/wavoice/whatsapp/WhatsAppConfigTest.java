package dev.wavoice.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wavoice.testkit.MapConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The Graph API's and the webhook's settings: documented defaults, and a bad value names its key. */
class WhatsAppConfigTest {

  @Test
  void theGraphAndWebhookSettingsHaveTheirDefaults() {
    WhatsAppConfig config = new WhatsAppConfig(MapConfig.of());
    GraphSettings graph = config.graph();
    assertThat(graph.baseUrl()).isEqualTo("https://graph.facebook.com");
    assertThat(graph.version()).isEqualTo("v23.0");
    assertThat(graph.timeout()).isEqualTo(Duration.ofMillis(5000));
    assertThat(graph.maxRetries()).isEqualTo(3);
    assertThat(graph.retryBase()).isEqualTo(Duration.ofMillis(250));
    assertThat(graph.endBudget()).isEqualTo(GraphSettings.DEFAULT_END_BUDGET);
    assertThat(config.webhook()).isEqualTo(new WebhookSettings(1_048_576, Duration.ofSeconds(600)));
  }

  @Test
  void aBadGraphValueNamesItsKey() {
    assertThatThrownBy(() -> new WhatsAppConfig(MapConfig.of(WhatsAppConfig.TIMEOUT_MS, "5s")).graph())
        .hasMessageContaining("wavoice.whatsapp.timeout-ms must be a whole number");
    assertThatThrownBy(() -> new WhatsAppConfig(MapConfig.of(WhatsAppConfig.MAX_RETRIES, "-1")).graph())
        .hasMessage("wavoice.whatsapp.max-retries must be 0 or more, was -1");
    assertThatThrownBy(() -> new WhatsAppConfig(MapConfig.of(WhatsAppConfig.END_BUDGET_MS, "0")).graph())
        .hasMessage("wavoice.whatsapp.end-budget-ms must be 1 or more, was 0");
    assertThatThrownBy(() -> new WhatsAppConfig(MapConfig.of(WhatsAppConfig.RETRY_BASE_MS, "-250")).graph())
        .hasMessage("wavoice.whatsapp.retry-base-ms must be 0 or more, was -250");
  }

  @Test
  void aBadWebhookValueNamesItsKey() {
    assertThatThrownBy(() -> new WhatsAppConfig(MapConfig.of(WhatsAppConfig.MAX_BODY_BYTES, "0")).webhook())
        .hasMessage("wavoice.webhook.max-body-bytes must be 1 or more, was 0");
    assertThatThrownBy(() -> new WhatsAppConfig(MapConfig.of(WhatsAppConfig.MAX_BODY_BYTES, "4294967296")).webhook())
        .hasMessage("wavoice.webhook.max-body-bytes must be at most 2147483647, was 4294967296");
    assertThatThrownBy(() -> new WhatsAppConfig(MapConfig.of(WhatsAppConfig.DEDUP_WINDOW_SECONDS, "ten minutes")).webhook())
        .hasMessageContaining("wavoice.webhook.dedup-window-seconds must be a whole number");
  }
}
