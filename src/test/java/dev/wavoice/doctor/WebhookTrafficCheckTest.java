package dev.wavoice.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.whatsapp.TrafficSignals;
import dev.wavoice.whatsapp.WebhookTraffic;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The doctor's {@code webhook-traffic} check: unsigned POSTs are anyone's, so they are counted, never a failure. */
class WebhookTrafficCheckTest {

  private static final Instant STARTED = Instant.parse("2026-01-05T10:00:00Z");
  private static final Instant NOW = STARTED.plusSeconds(600);
  private static final DoctorSettings SETTINGS = new DoctorSettings("436666719526789", Optional.of("102290129340398"),
      Optional.of("1234567890"), Optional.of("https://wavoice.example.test"), "test-access-token", Optional.empty(), List.of(),
      Duration.ofSeconds(2));

  private final WebhookTraffic traffic = new WebhookTraffic();

  private DoctorCheck check() {
    return ServiceChecks.webhookTraffic(traffic, STARTED, NOW, SETTINGS);
  }

  @Test
  void unsignedPostsAfterSignedTrafficLeaveItPassingAndAreCounted() {
    TrafficSignals.signedDelivery(traffic, STARTED.plusSeconds(10));
    TrafficSignals.unsigned(traffic, STARTED.plusSeconds(20));
    TrafficSignals.unsigned(traffic, STARTED.plusSeconds(30));

    DoctorCheck check = check();
    assertThat(check.status()).isEqualTo(CheckStatus.PASS);
    assertThat(check.summary()).contains("2 unsigned POSTs were refused (not from Meta, last at " + STARTED.plusSeconds(30));
  }

  @Test
  void unsignedPostsAloneAreNoFailure() {
    TrafficSignals.unsigned(traffic, STARTED.plusSeconds(20));

    DoctorCheck check = check();
    assertThat(check.status()).isEqualTo(CheckStatus.WARN);
    assertThat(check.summary()).contains("no webhook from Meta since start-up").contains("1 unsigned POST was refused");
  }

  @Test
  void aSignedDeliveryWithAWrongSignatureFailsWhateverUnsignedTrafficDoes() {
    TrafficSignals.signedDelivery(traffic, STARTED.plusSeconds(10));
    TrafficSignals.refused(traffic, STARTED.plusSeconds(20));
    TrafficSignals.unsigned(traffic, STARTED.plusSeconds(30));

    DoctorCheck check = check();
    assertThat(check.status()).isEqualTo(CheckStatus.FAIL);
    assertThat(check.summary()).contains("signed deliveries with a wrong signature were refused");
    assertThat(check.fix()).contains("wavoice.whatsapp.app-secret");
  }

  @Test
  void aCorrectlySignedDeliveryAfterARefusedOnePassesAgain() {
    TrafficSignals.refused(traffic, STARTED.plusSeconds(10));
    TrafficSignals.signedDelivery(traffic, STARTED.plusSeconds(20));

    assertThat(check().status()).isEqualTo(CheckStatus.PASS);
  }
}
