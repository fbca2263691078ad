package dev.wavoice.call;

import dev.wavoice.CallId;
import dev.wavoice.bridge.BridgeConfig;
import dev.wavoice.bridge.RecordingSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * What is kept of a call and its end: the call record (with its transcript) and the recording file.
 * {@link #erase} removes one call's on request; {@link #purgeStartedBefore} removes every call's older
 * than a cut-off (retention). A live call is never erased: its record and recording are still being
 * written.
 */
@ApplicationScoped
public class CallErasure {

  private static final Logger LOG = Logger.getLogger(CallErasure.class.getName());
  /** Records read per round of a purge. */
  static final int PURGE_BATCH = 500;

  /** What {@link #erase} did. */
  public enum Outcome { ERASED, NOT_FOUND, LIVE }

  private CallRecordStore records;
  private Predicate<CallId> live;
  private RecordingSettings recording;

  protected CallErasure() {}

  @Inject
  public CallErasure(CallRecordStore records, CallRegistry registry, BridgeConfig config) {
    this(records, id -> registry.find(id).isPresent(), config.recording());
  }

  /** {@code live} tells whether a call is still going on. */
  public CallErasure(CallRecordStore records, Predicate<CallId> live, RecordingSettings recording) {
    this.records = records;
    this.live = live;
    this.recording = recording;
  }

  /** The call's recording, if it has one. */
  public Optional<Path> recording(CallId callId) {
    Path file = recording.file(callId);
    return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
  }

  /** Removes the call's record, transcript and recording. */
  public Outcome erase(CallId callId) {
    if (live.test(callId)) {
      return Outcome.LIVE;
    }
    boolean file = deleteRecording(callId);
    boolean record = records.delete(callId);
    if (!file && !record) {
      return Outcome.NOT_FOUND;
    }
    LOG.info(() -> "call " + callId + " erased (record " + (record ? "deleted" : "none") + ", recording "
        + (file ? "deleted" : "none") + ")");
    return Outcome.ERASED;
  }

  /** Removes the record and recording of every call (not live) that started before {@code cutoff}; returns how many calls. */
  public int purgeStartedBefore(Instant cutoff) {
    int purged = 0;
    while (true) {
      List<CallId> old = records.startedBefore(cutoff, PURGE_BATCH);
      int round = 0;
      for (CallId callId : old) {
        if (live.test(callId)) {
          continue; // a call that has lasted longer than the retention: its turn comes after it ends
        }
        deleteRecording(callId);
        if (records.delete(callId)) {
          round++;
        }
      }
      purged += round;
      if (old.size() < PURGE_BATCH || round == 0) {
        return purged;
      }
    }
  }

  private boolean deleteRecording(CallId callId) {
    Path file = recording.file(callId);
    try {
      // a file left half-written (the app stopped during the call) goes too
      boolean partial = Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".part"));
      return Files.deleteIfExists(file) || partial;
    } catch (IOException e) {
      throw new UncheckedIOException("the recording of call " + callId + " could not be deleted", e);
    }
  }
}
