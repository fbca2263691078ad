package dev.wavoice.call;

import dev.wavoice.CallId;
import dev.wavoice.whatsapp.GraphApi;
import dev.wavoice.whatsapp.GraphApiException;
import dev.wavoice.whatsapp.Prerequisite;
import dev.wavoice.whatsapp.PrerequisiteSightings;
import java.time.Clock;

/**
 * What a WhatsApp call is on either side ({@link WhatsAppIncoming}, {@link WhatsAppOutgoing}): Meta's ICE-lite
 * peer reached through the Graph API, told the end with {@code reject} or {@code terminate}, and a failure
 * there explained by {@link GraphFailures}.
 */
abstract class WhatsAppChannel {

  final GraphApi graph;
  private final GraphFailures failures;
  private final PrerequisiteSightings prerequisites;
  private final Clock clock;

  WhatsAppChannel(GraphApi graph, GraphFailures failures, PrerequisiteSightings prerequisites, Clock clock) {
    this.graph = graph;
    this.failures = failures;
    this.prerequisites = prerequisites;
    this.clock = clock;
  }

  public String name() {
    return CallOrchestrator.WHATSAPP;
  }

  public boolean tricklesCandidates() {
    return false;
  }

  public boolean whatsAppPeer() {
    return true;
  }

  public ChannelFailure explain(CallId id, RuntimeException failure) {
    return failures.explain(id, failure);
  }

  /** Tells Meta the end: {@code terminate}, or {@code reject} for a call it never saw accepted. */
  final void tellEnd(CallId id, boolean terminate) {
    try {
      if (terminate) {
        graph.terminate(id.value());
      } else {
        graph.reject(id.value());
      }
    } catch (GraphApiException e) {
      throw failures.endNotTold(e);
    }
  }

  /** Meta took a call request: calling is enabled and SIP is off for the number. */
  final void callingConfirmed() {
    prerequisites.confirmed(clock.instant(), Prerequisite.CALLING_ENABLED, Prerequisite.SIP_DISABLED);
  }
}
