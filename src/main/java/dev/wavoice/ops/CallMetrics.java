package dev.wavoice.ops;

import dev.wavoice.WavoiceMetrics;
import dev.wavoice.call.ActiveCall;
import dev.wavoice.call.CallEvent;
import dev.wavoice.call.CallOrchestrator;
import dev.wavoice.call.CdiCallEvents;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The calls' metrics, from the call core's events: ends by outcome and reason, and the set-up stages of
 * WhatsApp calls (they count from Meta's webhook, so softphone calls are left out).
 */
@ApplicationScoped
public class CallMetrics {

  private WavoiceMetrics metrics;

  protected CallMetrics() {}

  @Inject
  public CallMetrics(WavoiceMetrics metrics) {
    this.metrics = metrics;
  }

  public void preAccepted(@Observes @Priority(CdiCallEvents.METRICS) CallEvent.PreAccepted e) {
    if (CallOrchestrator.WHATSAPP.equals(e.channel())) {
      metrics.setupLatency("pre_accept", e.sinceStart());
    }
  }

  public void accepted(@Observes @Priority(CdiCallEvents.METRICS) CallEvent.Accepted e) {
    // an outgoing call is answered by the user, not accepted by us: no set-up stage
    if (CallOrchestrator.WHATSAPP.equals(e.channel()) && e.direction() == ActiveCall.Direction.INBOUND) {
      metrics.setupLatency("accept", e.sinceStart());
    }
  }

  public void firstBotAudio(@Observes @Priority(CdiCallEvents.METRICS) CallEvent.FirstBotAudio e) {
    if (CallOrchestrator.WHATSAPP.equals(e.channel())) {
      metrics.setupLatency("first_bot_audio", e.sinceStart());
    }
  }

  public void ended(@Observes @Priority(CdiCallEvents.METRICS) CallEvent.Ended e) {
    metrics.callEnded(e.reason().outcome().name(), e.reason().name());
  }
}
