package dev.wavoice.call;

import dev.wavoice.CallId;
import dev.wavoice.whatsapp.GraphApi;
import dev.wavoice.whatsapp.GraphApiException;
import dev.wavoice.whatsapp.Prerequisite;
import dev.wavoice.whatsapp.PrerequisiteSightings;
import java.time.Clock;

/**
 * A call wavoice places to a WhatsApp user: our offer goes to Meta with {@code connect}, the user's answer
 * comes back by webhook; wavoice ends it with {@code terminate}.
 */
final class WhatsAppOutgoing implements CallChannel.Outgoing {

  private final GraphApi graph;
  private final GraphFailures failures;
  private final PrerequisiteSightings prerequisites;
  private final Clock clock;
  private final String to;
  private final String bizOpaqueCallbackData;

  WhatsAppOutgoing(GraphApi graph, GraphFailures failures, PrerequisiteSightings prerequisites, Clock clock, String to,
      String bizOpaqueCallbackData) {
    this.graph = graph;
    this.failures = failures;
    this.prerequisites = prerequisites;
    this.clock = clock;
    this.to = to;
    this.bizOpaqueCallbackData = bizOpaqueCallbackData;
  }

  @Override
  public String name() {
    return CallOrchestrator.WHATSAPP;
  }

  @Override
  public boolean tricklesCandidates() {
    return false;
  }

  @Override
  public boolean whatsAppPeer() {
    return true;
  }

  @Override
  public CallId dial(String sdpOffer) {
    CallId id = new CallId(graph.connect(to, sdpOffer, bizOpaqueCallbackData));
    prerequisites.confirmed(clock.instant(), Prerequisite.CALLING_ENABLED, Prerequisite.SIP_DISABLED);
    return id;
  }

  /** Meta has a placed call from its {@code connect} on: it is ended with {@code terminate}, answered or not. */
  @Override
  public void hangUp(CallId id, boolean accepted) {
    try {
      graph.terminate(id.value());
    } catch (GraphApiException e) {
      throw failures.endNotTold(e);
    }
  }

  @Override
  public ChannelFailure explain(CallId id, RuntimeException failure) {
    return failures.explain(id, failure);
  }
}
