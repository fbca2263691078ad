package dev.wavoice.call;

import dev.wavoice.CallId;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps each call's record as its life goes: observes the call core's {@link CallEvent}s and writes them
 * through the {@link CallRecordStore}. A write that fails is logged and costs the call nothing.
 */
@ApplicationScoped
public class CallRecordWriter {

  private static final Logger LOG = Logger.getLogger(CallRecordWriter.class.getName());

  private CallRecordStore records;

  protected CallRecordWriter() {}

  @Inject
  public CallRecordWriter(CallRecordStore records) {
    this.records = records;
  }

  void started(@Observes @Priority(CdiCallEvents.RECORDS) CallEvent.Started e) {
    boolean inbound = e.direction() == ActiveCall.Direction.INBOUND;
    write(e.callId(), "start", () -> records.insert(new CallRecord(e.callId().value(), e.channel(), e.direction().name(),
        inbound ? e.remoteNumber() : null, inbound ? null : e.remoteNumber(), e.callerName(), e.codec(), e.at())));
  }

  void mediaPlaced(@Observes @Priority(CdiCallEvents.RECORDS) CallEvent.MediaPlaced e) {
    update(e.callId(), "Kurento", e.timeline(), r -> r.onKms(e.kmsUrl()));
  }

  void preAccepted(@Observes @Priority(CdiCallEvents.RECORDS) CallEvent.PreAccepted e) {
    update(e.callId(), "pre_accept", e.timeline(), r -> r.preAccepted(e.at()));
  }

  void accepted(@Observes @Priority(CdiCallEvents.RECORDS) CallEvent.Accepted e) {
    update(e.callId(), "accept", e.timeline(), r -> r.accepted(e.at(), e.withMedia()));
  }

  void firstBotAudio(@Observes @Priority(CdiCallEvents.RECORDS) CallEvent.FirstBotAudio e) {
    update(e.callId(), "first bot audio", e.timeline(), r -> r.firstBotAudio(e.at()));
  }

  void transcriptSoFar(@Observes @Priority(CdiCallEvents.RECORDS) CallEvent.TranscriptSoFar e) {
    update(e.callId(), "transcript so far", e.timeline(), r -> r.transcriptSoFar(e.lines()));
  }

  void problem(@Observes @Priority(CdiCallEvents.RECORDS) CallEvent.Problem e) {
    CallProblem problem = e.problem();
    update(e.callId(), "problem", e.timeline(), r -> {
      if (problem.remoteError() != null) {
        r.metaError(problem.remoteError().code(), problem.remoteError().subcode(), problem.remoteError().details());
      }
      problem.errors().forEach(r::addError);
    });
  }

  void ended(@Observes @Priority(CdiCallEvents.RECORDS) CallEvent.Ended e) {
    update(e.callId(), "end", e.timeline(), r -> {
      r.ended(e.at(), e.reason(), e.detail(), e.usage(), e.transcript(), e.bargeIns());
      if (e.recordingProblem() != null) {
        r.addError("recording: " + e.recordingProblem());
      }
    });
  }

  /** Applies a change to the record, with the timeline so far. */
  private void update(CallId id, String what, List<TimelineEvent> timeline, Consumer<CallRecord> change) {
    write(id, what, () -> records.update(id, r -> {
      change.accept(r);
      if (timeline != null) {
        r.timeline(timeline);
      }
    }));
  }

  private void write(CallId id, String what, Runnable write) {
    try {
      write.run();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "could not write the " + what + " of call " + id + " to its record", e);
    }
  }
}
