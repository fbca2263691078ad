package dev.wavoice.call;

import dev.wavoice.CallId;
import dev.wavoice.whatsapp.GraphApiException;
import dev.wavoice.whatsapp.PrerequisiteSightings;
import java.time.Clock;
import java.util.List;

/**
 * What a refusal from Meta's Graph API means for a WhatsApp call: the end reason and what the record
 * shows. An error naming a missing prerequisite is Meta's own word: the doctor is told, the record says so.
 */
final class GraphFailures {

  private final PrerequisiteSightings prerequisites;
  private final Clock clock;

  GraphFailures(PrerequisiteSightings prerequisites, Clock clock) {
    this.prerequisites = prerequisites;
    this.clock = clock;
  }

  /** A call action Meta refused or never answered: it ends the call. */
  ChannelFailure endsCall(CallId id, GraphApiException graph) {
    if (graph.getCause() instanceof InterruptedException) {
      // our own threads are interrupted only when wavoice stops
      return new ChannelFailure(EndReason.SHUTDOWN,
          "interrupted during graph " + graph.operation() + ": wavoice is shutting down", new CallProblem(List.of(), null), graph);
    }
    String missing = prerequisites.failed(graph, "call " + id, clock.instant())
        .map(p -> " — missing prerequisite: " + p.explanation() + " (doctor check " + p.checkId() + ", GET /api/doctor)")
        .orElse("");
    return new ChannelFailure(EndReason.GRAPH_ERROR, graph.kind() + ": " + graph.getMessage(), new CallProblem(
        List.of("graph " + graph.operation() + " " + graph.kind() + " " + graph.code() + ": " + graph.getMessage() + missing),
        graph.error().map(error -> new CallProblem.RemoteError(error.codeOrZero(), error.errorSubcode(), error.details()))
            .orElse(null)), graph);
  }

  /** Telling Meta the end failed: the call is over anyway; the record says Meta was not told. */
  ChannelFailure endNotTold(GraphApiException graph) {
    return new ChannelFailure(EndReason.GRAPH_ERROR, "telling Meta the end failed: " + graph.getMessage(),
        CallProblem.of("graph " + graph.operation() + ": " + graph.getMessage()), graph);
  }

  ChannelFailure explain(CallId id, RuntimeException failure) {
    return failure instanceof GraphApiException graph ? endsCall(id, graph) : null;
  }
}
