package dev.wavoice.testkit.whatsapp;

import dev.wavoice.testkit.PeerProcess;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The WhatsApp side of a call as the public record shows it: the {@code whatsapp-peer} program built from
 * {@code src/test/whatsapp-peer} (see its README). It is ICE-lite (answers checks, never sends one, never
 * nominates, 487 to a controlled check), offers IPv4 and IPv6 host candidates on one port in WhatsApp's SDP
 * shape, runs DTLS-SRTP on the pair the other side nominated, sends a tone as Opus (PT 111, 20 ms, one
 * SSRC) and records what it hears. Its files live in {@code target/whatsapp-peer/runs/<id>/}.
 *
 * <p>The program is {@code target/whatsapp-peer/whatsapp-peer} (or system property {@value #PEER_PROPERTY}),
 * built by {@code .ci/run}; when it is missing or older than its source the first test that needs it builds it from source with
 * Debian's Go and Pion packages (the list is in {@code .ci/run}; {@code src/test/whatsapp-peer/build.sh}).
 */
public final class WhatsAppPeer extends PeerProcess {

  public static final String PEER_PROPERTY = "wavoice.it.whatsapp-peer";
  private static final Path SOURCE = Path.of("src", "test", "whatsapp-peer");
  private static final Path BUILT = Path.of("target", "whatsapp-peer", "whatsapp-peer");
  private static final Object BUILD_LOCK = new Object();

  /** How the peer answers a check that carries ICE-CONTROLLED (the other side thinks it is controlled too). */
  public enum ControlledChecks {
    /** 487 Role Conflict, as WhatsApp answers (RFC 8445 §7.3.1.1): the other side may switch to controlling. */
    ROLE_CONFLICT("487"),
    /** Success, as a lite agent that ignores roles: nobody nominates unless the other side controls from the start. */
    SUCCESS("success");

    final String flag;

    ControlledChecks(String flag) {
      this.flag = flag;
    }
  }

  /**
   * The peer's JSON report, and what it heard decoded here: {@code dominantHz}/{@code rmsDbfs} over the
   * audible frames of its last 5 s (null when nothing audible), {@code heardAudioMs} decoded, {@code lostPackets}
   * missing from the Opus sequence and {@code maxGapMs} the longest wait between two Opus packets.
   */
  public record Report(String iceState, boolean iceConnected, boolean remoteNominated, boolean remoteControlling,
      int bindingRequests, int controlledRequests, int roleConflictResponses, int bindingRequestsSent, boolean dtlsConnected, String dtlsRole,
      long sentPackets, long receivedPackets, long receivedAudioMs, long heardAudioMs, Double rmsDbfs,
      Double dominantHz, int lostPackets, long maxGapMs, String error, int exitCode, String raw) {}

  private WhatsAppPeer(Path dir, Process process) {
    super(dir, process, "the WhatsApp peer", "peer.log");
  }

  /**
   * Starts the peer as the offerer (a user-initiated call) sending a {@code toneHz} tone; {@code seconds} of
   * media count from the moment it gets the answer.
   */
  public static WhatsAppPeer offering(int seconds, int toneHz) {
    return offering(seconds, toneHz, ControlledChecks.ROLE_CONFLICT);
  }

  public static WhatsAppPeer offering(int seconds, int toneHz, ControlledChecks controlledChecks) {
    Path dir = newDir(seconds, toneHz);
    return start(dir, List.of("offer", "--out", dir.resolve("offer.sdp").toString(),
        "--answer-file", dir.resolve("answer.sdp").toString()), seconds, controlledChecks);
  }

  /** Starts the peer as the answerer of {@code offer} (a business-initiated call). */
  public static WhatsAppPeer answering(String offer, int seconds, int toneHz) {
    Path dir = newDir(seconds, toneHz);
    write(dir.resolve("offer.sdp"), offer);
    return start(dir, List.of("answer", "--out", dir.resolve("answer.sdp").toString(),
        "--offer-file", dir.resolve("offer.sdp").toString()), seconds, ControlledChecks.ROLE_CONFLICT);
  }

  /** Waits for the peer to finish and reads its report and recording. */
  public Report awaitReport(Duration deadline) {
    return report(awaitReportLine(deadline), dir.resolve("heard.rtp"), process.exitValue());
  }

  /** A report line of the program, with what it recorded in {@code heardFile} decoded. */
  static Report report(JsonObject json, Path heardFile, int exitCode) {
    PeerAudio.Heard heard = PeerAudio.read(heardFile, json.getInt("opus_payload_type", 111));
    return new Report(json.getString("ice_state"), json.getBoolean("ice_connected"), json.getBoolean("remote_nominated"),
        json.getBoolean("remote_controlling"), json.getInt("binding_requests"), json.getInt("controlled_requests"),
        json.getInt("role_conflict_responses"),
        json.getInt("binding_requests_sent"), json.getBoolean("dtls_connected"), json.getString("dtls_role", null),
        json.getJsonNumber("sent_packets").longValue(), json.getJsonNumber("received_packets").longValue(),
        json.getJsonNumber("received_audio_ms").longValue(), heard.audioMs(), heard.rmsDbfs(), heard.dominantHz(),
        heard.lostPackets(), heard.maxGapMs(), json.getString("error", null), exitCode, json.toString());
  }

  private static WhatsAppPeer start(Path dir, List<String> args, int seconds, ControlledChecks controlledChecks) {
    List<String> command = new ArrayList<>(List.of(binary().toString()));
    command.addAll(args);
    command.addAll(List.of("--send", dir.resolve("tone.opus").toString(), "--record", dir.resolve("heard.rtp").toString(),
        "--seconds", Integer.toString(seconds), "--wait", "60", "--on-controlled-check", controlledChecks.flag));
    try {
      ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
      builder.redirectOutput(dir.resolve("report.json").toFile());
      builder.redirectError(dir.resolve("peer.log").toFile());
      builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      return new WhatsAppPeer(dir, builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The program named by {@value #PEER_PROPERTY}, else {@code target/whatsapp-peer/whatsapp-peer}; built there
   * from source if missing or older than its source (a build from before a change lacks what tests now use).
   */
  static Path binary() {
    String configured = System.getProperty(PEER_PROPERTY, "");
    Path binary = configured.isBlank() ? BUILT.toAbsolutePath() : Path.of(configured).toAbsolutePath();
    synchronized (BUILD_LOCK) {
      if (!Files.isExecutable(binary) || configured.isBlank() && olderThanSource(binary)) {
        build(binary);
      }
    }
    return binary;
  }

  private static boolean olderThanSource(Path binary) {
    try (var files = Files.list(SOURCE)) {
      var built = Files.getLastModifiedTime(binary);
      return files.anyMatch(f -> {
        try {
          return Files.getLastModifiedTime(f).compareTo(built) > 0;
        } catch (IOException e) {
          return true;
        }
      });
    } catch (IOException e) {
      return true;
    }
  }

  private static void build(Path binary) {
    Path script = SOURCE.resolve("build.sh").toAbsolutePath();
    try {
      Files.createDirectories(binary.getParent());
      Path log = binary.resolveSibling("build.log");
      Process build = new ProcessBuilder("bash", script.toString(), binary.toString()).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      if (!build.waitFor(5, TimeUnit.MINUTES) || build.exitValue() != 0) {
        build.destroyForcibly();
        throw new IllegalStateException("building the WhatsApp peer failed (its Debian packages are installed by .ci/run): "
            + Files.readString(log, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while building the WhatsApp peer", e);
    }
  }

  private static Path newDir(int seconds, int toneHz) {
    Path dir = newRunDir(Path.of("target", "whatsapp-peer", "runs"));
    PeerAudio.writeTone(dir.resolve("tone.opus"), toneHz, Math.min(seconds, 5));
    return dir;
  }
}
