package dev.wavoice.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.CallId;
import dev.wavoice.WavoiceMetrics;
import dev.wavoice.call.ActiveCall;
import dev.wavoice.call.CallEvent;
import dev.wavoice.call.CallOrchestrator;
import dev.wavoice.call.EndReason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.eclipse.microprofile.metrics.Tag;
import org.junit.jupiter.api.Test;

/**
 * The calls' metrics from the call core's events: every end by outcome and reason; the set-up stages only
 * for WhatsApp calls, and {@code accept} only for incoming ones (an outgoing call is answered by the user).
 */
class CallMetricsTest {

  private static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");
  private static final CallId ID = new CallId("wacid.metrics");

  private final Recorded recorded = new Recorded();
  private final CallMetrics metrics = new CallMetrics(recorded);

  @Test
  void anIncomingWhatsAppCallCountsEachSetUpStageSinceItsWebhook() {
    metrics.preAccepted(new CallEvent.PreAccepted(ID, CallOrchestrator.WHATSAPP, T0, Duration.ofMillis(300), List.of()));
    metrics.accepted(new CallEvent.Accepted(ID, CallOrchestrator.WHATSAPP, ActiveCall.Direction.INBOUND, T0, true,
        Duration.ofMillis(900), List.of()));
    metrics.firstBotAudio(new CallEvent.FirstBotAudio(ID, CallOrchestrator.WHATSAPP, T0, Duration.ofMillis(1500), List.of()));
    metrics.ended(ended(CallOrchestrator.WHATSAPP, EndReason.REMOTE_TERMINATE));

    assertThat(recorded.stages).containsExactly("pre_accept 300", "accept 900", "first_bot_audio 1500");
    assertThat(recorded.ends).containsExactly("COMPLETED/REMOTE_TERMINATE");
  }

  @Test
  void outgoingAndSoftphoneCallsCountNoAcceptStage() {
    metrics.accepted(new CallEvent.Accepted(ID, CallOrchestrator.WHATSAPP, ActiveCall.Direction.OUTBOUND, T0, true,
        Duration.ofSeconds(9), List.of()));
    metrics.accepted(new CallEvent.Accepted(ID, CallOrchestrator.SOFTPHONE, ActiveCall.Direction.INBOUND, T0, true,
        Duration.ofSeconds(2), List.of()));
    metrics.firstBotAudio(new CallEvent.FirstBotAudio(ID, CallOrchestrator.SOFTPHONE, T0, Duration.ofSeconds(3), List.of()));
    metrics.ended(ended(CallOrchestrator.SOFTPHONE, EndReason.MEDIA_TIMEOUT));

    assertThat(recorded.stages).isEmpty();
    assertThat(recorded.ends).containsExactly(EndReason.MEDIA_TIMEOUT.outcome() + "/MEDIA_TIMEOUT");
  }

  private static CallEvent.Ended ended(String channel, EndReason reason) {
    return new CallEvent.Ended(ID, channel, T0, reason, null, null, List.of(), 0, null, List.of());
  }

  private static final class Recorded extends WavoiceMetrics {
    final List<String> stages = new ArrayList<>();
    final List<String> ends = new ArrayList<>();

    @Override
    public void gauge(String name, String description, Supplier<? extends Number> value) {}

    @Override
    public void callEnded(String outcome, String reason) {
      ends.add(outcome + "/" + reason);
    }

    @Override
    public void setupLatency(String stage, Duration sinceWebhook) {
      stages.add(stage + " " + sinceWebhook.toMillis());
    }

    @Override
    public void count(String name, String description, long n, Tag... tags) {}
  }
}
