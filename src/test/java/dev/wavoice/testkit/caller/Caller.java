package dev.wavoice.testkit.caller;

import dev.wavoice.testkit.PeerProcess;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The WhatsApp-style WebRTC caller ({@code caller.py} from system property {@code wavoice.it.caller},
 * env {@code WAVOICE_CALLER}, run with /usr/bin/python3): a real WebRTC stack (full ICE, DTLS-SRTP,
 * Opus) that plays a tone and reports what it heard. Its SDP files and logs live in
 * {@code target/caller/<id>/}.
 */
public final class Caller extends PeerProcess {

  public static final String CALLER_PROPERTY = "wavoice.it.caller";
  private static final String PYTHON = "/usr/bin/python3";

  /** The caller's JSON report (see the caller's README). */
  public record Report(String iceState, boolean dtlsConnected, long sentPackets, long receivedPackets, long receivedAudioMs,
      Double rmsDbfs, Double dominantHz, String error, int exitCode, String raw) {}

  private Caller(Path dir, Process process) {
    super(dir, process, "the caller", "caller.log");
  }

  /** Starts the caller as the offerer (the WhatsApp role); {@code seconds} of media count from the moment it gets the answer. */
  public static Caller offering(int seconds, int toneHz) {
    Path dir = newDir();
    return start(dir, List.of("offer", "--out", dir.resolve("offer.sdp").toString(),
        "--answer-file", dir.resolve("answer.sdp").toString(), "--seconds", Integer.toString(seconds),
        "--tone", Integer.toString(toneHz), "--wait", "60"));
  }

  /**
   * As {@link #offering}, but the caller sends {@code play} (a 16-bit WAV, looped) and records what it hears
   * ({@link #heard()}); it waits up to 90 s for the answer (load runs start many callers first).
   */
  public static Caller offeringRecorded(int seconds, Path play) {
    Path dir = newDir();
    return start(dir, List.of("offer", "--out", dir.resolve("offer.sdp").toString(),
        "--answer-file", dir.resolve("answer.sdp").toString(), "--seconds", Integer.toString(seconds),
        "--play", play.toAbsolutePath().toString(), "--record", dir.resolve("heard.wav").toString(), "--wait", "90"));
  }

  /** What the caller heard (48 kHz mono 16-bit WAV), once it has finished; only for {@link #offeringRecorded}. */
  public Path heard() {
    return dir.resolve("heard.wav");
  }

  /** CPU time the caller's process used so far (user + system, from the OS). */
  public long cpuNanos() {
    return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }

  /** Starts the caller as the answerer of {@code offer} (a business-initiated call). */
  public static Caller answering(String offer, int seconds, int toneHz) {
    Path dir = newDir();
    write(dir.resolve("offer.sdp"), offer);
    return start(dir, List.of("answer", "--out", dir.resolve("answer.sdp").toString(),
        "--offer-file", dir.resolve("offer.sdp").toString(), "--seconds", Integer.toString(seconds),
        "--tone", Integer.toString(toneHz), "--wait", "60"));
  }

  private static Caller start(Path dir, List<String> args) {
    String script = System.getProperty(CALLER_PROPERTY, "");
    if (script.isBlank() || script.startsWith("${") || !Files.isRegularFile(Path.of(script))) {
      throw new IllegalStateException("the WebRTC test caller is needed: set env WAVOICE_CALLER (or -D" + CALLER_PROPERTY
          + ") to caller.py and install its packages (see .ci/run); found '" + script + "'");
    }
    List<String> command = new ArrayList<>(List.of(PYTHON, script));
    command.addAll(args);
    try {
      ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
      builder.redirectOutput(dir.resolve("report.json").toFile());
      builder.redirectError(dir.resolve("caller.log").toFile());
      builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      return new Caller(dir, builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path newDir() {
    return newRunDir(Path.of("target", "caller"));
  }

  public Report awaitReport(Duration deadline) {
    JsonObject json = awaitReportLine(deadline);
    return new Report(json.getString("ice_state", null), json.getBoolean("dtls_connected", false),
        json.getJsonNumber("sent_packets").longValue(), json.getJsonNumber("received_packets").longValue(),
        json.getJsonNumber("received_audio_ms").longValue(), number(json, "rms_dbfs"), number(json, "dominant_hz"),
        json.getString("error", null), process.exitValue(), json.toString());
  }

  private static Double number(JsonObject json, String key) {
    JsonValue value = json.get(key);
    return value instanceof JsonNumber n ? n.doubleValue() : null;
  }
}
