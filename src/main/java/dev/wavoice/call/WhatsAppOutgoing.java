package dev.wavoice.call;

import dev.wavoice.CallId;
import dev.wavoice.whatsapp.GraphApi;
import dev.wavoice.whatsapp.PrerequisiteSightings;
import java.time.Clock;

/**
 * A call wavoice places to a WhatsApp user: our offer goes to Meta with {@code connect}, the user's answer
 * comes back by webhook; wavoice ends it with {@code terminate}.
 */
final class WhatsAppOutgoing extends WhatsAppChannel implements CallChannel.Outgoing {

  private final String to;
  private final String bizOpaqueCallbackData;

  WhatsAppOutgoing(GraphApi graph, GraphFailures failures, PrerequisiteSightings prerequisites, Clock clock, String to,
      String bizOpaqueCallbackData) {
    super(graph, failures, prerequisites, clock);
    this.to = to;
    this.bizOpaqueCallbackData = bizOpaqueCallbackData;
  }

  @Override
  public CallId dial(String sdpOffer) {
    CallId id = new CallId(graph.connect(to, sdpOffer, bizOpaqueCallbackData));
    callingConfirmed();
    return id;
  }

  /** Meta has a placed call from its {@code connect} on: it is ended with {@code terminate}, answered or not. */
  @Override
  public void hangUp(CallId id, boolean accepted) {
    tellEnd(id, true);
  }
}
