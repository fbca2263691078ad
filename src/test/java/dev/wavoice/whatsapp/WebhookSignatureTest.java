package dev.wavoice.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.testkit.whatsapp.WebhookSender;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

  private static final byte[] BODY = "{\"object\":\"whatsapp_business_account\"}".getBytes(StandardCharsets.UTF_8);

  @Test
  void acceptsMetasSignatureOverTheRawBytes() {
    assertThat(WebhookSignature.matches("secret", BODY, WebhookSender.signature("secret", BODY))).isTrue();
    assertThat(WebhookSignature.sign("secret", BODY)).isEqualTo(WebhookSender.signature("secret", BODY));
    assertThat(WebhookSignature.matches("secret", BODY, WebhookSender.signature("secret", BODY).toUpperCase().replace("SHA256=", "sha256="))).isTrue();
  }

  @Test
  void refusesEverythingElse() {
    String good = WebhookSender.signature("secret", BODY);
    assertThat(WebhookSignature.matches("other", BODY, good)).isFalse();
    assertThat(WebhookSignature.matches("secret", "{ }".getBytes(StandardCharsets.UTF_8), good)).isFalse();
    assertThat(WebhookSignature.matches("secret", BODY, null)).isFalse();
    assertThat(WebhookSignature.matches("secret", BODY, "")).isFalse();
    assertThat(WebhookSignature.matches("secret", BODY, good.substring("sha256=".length()))).isFalse();
    assertThat(WebhookSignature.matches("secret", BODY, "sha256=zz")).isFalse();
    assertThat(WebhookSignature.matches("secret", BODY, good.substring(0, good.length() - 2))).isFalse();
  }
}
