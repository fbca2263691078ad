package dev.wavoice.testkit.whatsapp;

import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.ChildProcesses;
import dev.wavoice.testkit.Fixtures;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Many WhatsApp peers in one process (the {@code whatsapp-peer} program's {@code multi} mode): each an
 * offering ICE-lite peer of its own — its own port, credentials, certificate, DTLS-SRTP and SSRC — making a
 * whole call, speaking in turns (a tone for {@code talkMs}, then silence for {@code pauseMs}) and recording
 * what it hears. One process for many calls costs far less than a process per call, so load runs measure
 * wavoice and Kurento rather than their callers. Peer {@code i} works in {@code <run>/<i>/}.
 */
public final class WhatsAppPeers implements AutoCloseable {

  private final Path dir;
  private final Process process;
  private final int peers;

  private WhatsAppPeers(Path dir, Process process, int peers) {
    this.dir = dir;
    this.process = process;
    this.peers = peers;
  }

  /** Starts {@code peers} offering peers; {@code seconds} of media count from the moment each gets its answer. */
  public static WhatsAppPeers offering(int peers, int seconds, int toneHz, int talkMs, int pauseMs) {
    return offering(peers, seconds, toneHz, 0, talkMs, pauseMs);
  }

  /**
   * As above, peer {@code i} talking at {@code toneHz + i * toneStepHz}: with a step, whoever hears a caller can
   * tell which peer it is (latency runs pair each caller's sounds at OpenAI with its own send times so).
   */
  public static WhatsAppPeers offering(int peers, int seconds, int toneHz, int toneStepHz, int talkMs, int pauseMs) {
    if (peers < 1 || talkMs < 20 || pauseMs < 20 || talkMs % 20 != 0 || pauseMs % 20 != 0) {
      throw new IllegalArgumentException("peers >= 1, talk and pause whole 20 ms frames: " + peers + ", " + talkMs + ", " + pauseMs);
    }
    Path dir = Path.of("target", "whatsapp-peer", "runs", UUID.randomUUID().toString()).toAbsolutePath();
    try {
      Files.createDirectories(dir);
      if (toneStepHz == 0) {
        PeerAudio.writeTone(dir.resolve("tone.opus"), toneHz, Math.min(seconds, 5));
      } else {
        for (int i = 0; i < peers; i++) {
          PeerAudio.writeTone(dir.resolve("tone-" + i + ".opus"), toneHz + i * toneStepHz, Math.min(seconds, 5));
        }
      }
      PeerAudio.writeTone(dir.resolve("silence.opus"), toneHz, 1, 0);
      List<String> command = List.of(WhatsAppPeer.binary().toString(), "multi", "--peers", Integer.toString(peers),
          "--dir", dir.toString(), "--send", dir.resolve(toneStepHz == 0 ? "tone.opus" : "tone-{peer}.opus").toString(),
          "--silence", dir.resolve("silence.opus").toString(), "--talk-ms", Integer.toString(talkMs),
          "--pause-ms", Integer.toString(pauseMs), "--seconds", Integer.toString(seconds), "--wait", "60");
      ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
      builder.redirectOutput(dir.resolve("report.json").toFile());
      builder.redirectError(dir.resolve("peers.log").toFile());
      builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      return new WhatsAppPeers(dir, builder.start(), peers);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int size() {
    return peers;
  }

  /** Peer {@code i}'s offer, once written. */
  public String awaitOffer(int i) {
    Path file = peerDir(i).resolve("offer.sdp");
    return Await.value(Duration.ofSeconds(20), "peer " + i + "'s offer", () -> {
      if (!process.isAlive() && !Files.exists(file)) {
        throw new IllegalStateException("the WhatsApp peers exited with " + process.exitValue() + ": " + log());
      }
      try {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
      } catch (IOException e) {
        return null;
      }
    });
  }

  /** Hands peer {@code i} the answer to its offer (by atomic rename: the peer polls the file). */
  public void answer(int i, String sdp) {
    try {
      Path file = peerDir(i).resolve("answer.sdp");
      Path tmp = file.resolveSibling("answer.sdp.tmp");
      Files.writeString(tmp, sdp, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits for every peer to finish; their reports by peer number. */
  public Map<Integer, WhatsAppPeer.Report> awaitReports(Duration deadline) {
    Map<Integer, WhatsAppPeer.Report> reports = new TreeMap<>();
    awaitReportLines(deadline).forEach((i, json) -> reports.put(i, WhatsAppPeer.report(json, heardFile(i), process.exitValue())));
    return reports;
  }

  /**
   * Waits for every peer to finish; their report lines as the program wrote them, by peer number, without
   * decoding what they heard (load runs decode {@link #heardFile(int)} themselves, once).
   */
  public Map<Integer, JsonObject> awaitReportLines(Duration deadline) {
    try {
      if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("the WhatsApp peers did not finish within " + deadline + ": " + log());
      }
      Map<Integer, JsonObject> lines = new TreeMap<>();
      for (String line : Files.readAllLines(dir.resolve("report.json"), StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          JsonObject json = Fixtures.parse(line);
          lines.put(json.getInt("peer"), json);
        }
      }
      return lines;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * When each of peer {@code i}'s talk turns after a pause began: the wall clock (ns since the Unix epoch) just
   * before its first packet went out, from the peer's report line.
   */
  public static List<Long> talkOnsets(JsonObject reportLine) {
    JsonArray onsets = reportLine.getJsonArray("talk_onsets_unix_ns");
    return onsets == null ? List.of() : onsets.getValuesAs(JsonNumber.class).stream().map(JsonNumber::longValue).toList();
  }

  /** Peer {@code i}'s recording of every RTP packet it received (see {@link PeerAudio#read}). */
  public Path heardFile(int i) {
    return peerDir(i).resolve("heard.rtp");
  }

  /** CPU time the process used so far (user + system), while it runs. */
  public long cpuNanos() {
    return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }

  public String log() {
    try {
      return Files.readString(dir.resolve("peers.log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log of the WhatsApp peers: " + e + ")";
    }
  }

  private Path peerDir(int i) {
    if (i < 0 || i >= peers) {
      throw new IllegalArgumentException("no peer " + i + " of " + peers);
    }
    return dir.resolve(Integer.toString(i));
  }

  @Override
  public void close() {
    ChildProcesses.stop(process, Duration.ofSeconds(10));
  }
}
