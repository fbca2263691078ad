package dev.wavoice.call;

import dev.wavoice.CallId;
import dev.wavoice.whatsapp.GraphApi;
import dev.wavoice.whatsapp.GraphApiException;
import dev.wavoice.whatsapp.Prerequisite;
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
final class WhatsAppIncoming implements CallChannel.Incoming {

  private final GraphApi graph;
  private final GraphFailures failures;
  private final PrerequisiteSightings prerequisites;
  private final Clock clock;
  private final Executor executor;

  WhatsAppIncoming(GraphApi graph, GraphFailures failures, PrerequisiteSightings prerequisites, Clock clock,
      Executor executor) {
    this.graph = graph;
    this.failures = failures;
    this.prerequisites = prerequisites;
    this.clock = clock;
    this.executor = executor;
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
  public CompletionStage<Void> answer(CallId id, String sdpAnswer, Duration budget, BooleanSupplier stillWanted) {
    return CompletableFuture.runAsync(() -> {
      graph.preAccept(id.value(), sdpAnswer, budget, stillWanted);
      prerequisites.confirmed(clock.instant(), Prerequisite.CALLING_ENABLED, Prerequisite.SIP_DISABLED);
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
    try {
      if (accepted) {
        graph.terminate(id.value());
      } else {
        graph.reject(id.value());
      }
    } catch (GraphApiException e) {
      throw failures.endNotTold(e);
    }
  }

  @Override
  public ChannelFailure explain(CallId id, RuntimeException failure) {
    return failures.explain(id, failure);
  }
}
