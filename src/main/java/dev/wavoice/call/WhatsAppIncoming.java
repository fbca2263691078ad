package dev.wavoice.call;

import dev.wavoice.CallId;
import dev.wavoice.whatsapp.GraphApi;
import dev.wavoice.whatsapp.PrerequisiteSightings;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

/**
 * A call a WhatsApp user made: our answer goes to Meta as {@code pre_accept} (it rings), then
 * {@code accept}; wavoice ends it with {@code reject} before the accept, {@code terminate} after. Meta's
 * requests run on {@code executor}, off the call's own.
 */
final class WhatsAppIncoming extends WhatsAppChannel implements CallChannel.Incoming {

  private final Executor executor;

  WhatsAppIncoming(GraphApi graph, GraphFailures failures, PrerequisiteSightings prerequisites, Clock clock,
      Executor executor) {
    super(graph, failures, prerequisites, clock);
    this.executor = executor;
  }

  @Override
  public CompletionStage<Void> answer(CallId id, String sdpAnswer, Duration budget, BooleanSupplier stillWanted) {
    return CompletableFuture.runAsync(() -> {
      graph.preAccept(id.value(), sdpAnswer, budget, stillWanted);
      callingConfirmed();
    }, executor);
  }

  @Override
  public boolean provisionalAnswer() {
    return true;
  }

  @Override
  public CompletionStage<Void> accept(CallId id, String sdpAnswer, Duration budget, BooleanSupplier stillWanted) {
    return CompletableFuture.runAsync(() -> graph.accept(id.value(), sdpAnswer, null, budget, stillWanted), executor);
  }

  @Override
  public void hangUp(CallId id, boolean accepted) {
    tellEnd(id, accepted);
  }
}
