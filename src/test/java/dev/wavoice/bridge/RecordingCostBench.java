package dev.wavoice.bridge;

import dev.wavoice.audio.MuLaw;
import dev.wavoice.audio.Pcm16;
import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.kms.RealKms;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.kurento.client.Composite;
import org.kurento.client.HubPort;
import org.kurento.client.KurentoClient;
import org.kurento.client.MediaPipeline;
import org.kurento.client.MediaProfileSpecType;
import org.kurento.client.MediaType;
import org.kurento.client.PlayerEndpoint;
import org.kurento.client.RecorderEndpoint;

/**
 * What recording a call costs in CPU time (user + system, as the kernel counts it for the process), per
 * call-minute, for the two designs:
 *
 * <ul>
 *   <li><b>app</b>: this JVM does the recorder's work on 10 call-minutes of audio (both sides: decode,
 *       pair, stereo Opus, Ogg pages to a file), after 2 call-minutes of warm-up: the CPU the app adds
 *       per recorded call-minute. Hand-off on the hot paths is two 160–960-byte copies per 20 ms, not
 *       counted.
 *   <li><b>kms</b>: the real Kurento records the same way Kurento would have to (both sides into one
 *       file: a Composite mixing two inputs into a RecorderEndpoint, WebM/Opus, audio only). Each of
 *       {@code N} pipelines has two players (a 60 s tone WAV each, the two sides); once without and once
 *       with the Composite and recorder; Kurento's CPU over 60 s, the difference per pipeline is what
 *       recording adds per call-minute.
 * </ul>
 *
 * Run: {@code mvn -B -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.wavoice.bridge.RecordingCostBench -Dwavoice.it.kms-run=$WAVOICE_KMS_RUN [-Dexec.args=5]}
 */
public final class RecordingCostBench {

  private static final int FRAMES_PER_MINUTE = 3000;

  private RecordingCostBench() {}

  public static void main(String[] args) throws Exception {
    int pipelines = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    Path dir = Files.createTempDirectory("recording-cost");
    System.out.printf("app, PCMU (8 kHz, 48 kbit/s): %.3f s CPU per recorded call-minute%n", app(dir, 8000, 48_000));
    System.out.printf("app, Opus (24 kHz, 64 kbit/s): %.3f s CPU per recorded call-minute%n", app(dir, 24_000, 64_000));
    kms(dir, pipelines);
  }

  /** CPU seconds of this process per call-minute of the recorder's work. */
  static double app(Path dir, int rate, int bitrate) throws Exception {
    run(dir, rate, bitrate, 2); // warm-up: JIT
    long cpu0 = ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
    int minutes = 10;
    run(dir, rate, bitrate, minutes);
    long cpu = ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos() - cpu0;
    return cpu / 1e9 / minutes;
  }

  private static void run(Path dir, int rate, int bitrate, int minutes) throws Exception {
    int samples = rate / 50;
    byte[] caller = new byte[rate == 8000 ? samples : samples * 2];
    byte[] bot = new byte[caller.length];
    short[] left = new short[samples];
    short[] right = new short[samples];
    short[] stereo = new short[2 * samples];
    for (int m = 0; m < minutes; m++) {
      try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(dir.resolve("app-" + m + ".ogg")));
          OggOpusWriter writer = new OggOpusWriter(out, rate, 2, bitrate)) {
        for (int f = 0; f < FRAMES_PER_MINUTE; f++) {
          tone(caller, rate, 440, f);
          tone(bot, rate, 660, f);
          decode(caller, rate, left);
          decode(bot, rate, right);
          for (int i = 0; i < samples; i++) {
            stereo[2 * i] = left[i];
            stereo[2 * i + 1] = right[i];
          }
          writer.write(stereo);
        }
      }
    }
  }

  private static void tone(byte[] frame, int rate, double hz, int f) {
    int samples = rate / 50;
    for (int i = 0; i < samples; i++) {
      short s = (short) (8000 * Math.sin(2 * Math.PI * hz * (f * samples + i) / rate));
      if (rate == 8000) {
        frame[i] = MuLaw.encode(s);
      } else {
        frame[2 * i] = (byte) s;
        frame[2 * i + 1] = (byte) (s >> 8);
      }
    }
  }

  private static void decode(byte[] frame, int rate, short[] into) {
    if (rate == 8000) {
      MuLaw.decode(frame, 0, into, 0, into.length);
    } else {
      Pcm16.toSamples(frame, 0, into, 0, into.length);
    }
  }

  static void kms(Path dir, int pipelines) throws Exception {
    Path callerWav = wav(dir.resolve("caller.wav"), 440);
    Path botWav = wav(dir.resolve("agent.wav"), 660);
    try (RealKms kms = RealKms.start()) {
      KurentoClient kurento = KurentoClient.create(kms.url());
      try {
        long idle = kmsCpu(kurento, kms, Duration.ofSeconds(10), players -> List.of());
        double without = kmsCpu(kurento, kms, Duration.ofSeconds(60),
            players -> build(kurento, pipelines, callerWav, botWav, null, players));
        double with = kmsCpu(kurento, kms, Duration.ofSeconds(60),
            players -> build(kurento, pipelines, callerWav, botWav, dir, players));
        System.out.printf("kms idle: %.3f s CPU per 10 s%n", idle / 1e9);
        System.out.printf("kms, %d pipelines of two players: %.3f s CPU per minute (%.3f per pipeline)%n", pipelines,
            without / 1e9, without / 1e9 / pipelines);
        System.out.printf("kms, the same with composite + recorder (webm): %.3f s CPU per minute (%.3f per pipeline)%n",
            with / 1e9, with / 1e9 / pipelines);
        System.out.printf("kms, recording adds %.3f s CPU per recorded call-minute%n", (with - without) / 1e9 / pipelines);
      } finally {
        kurento.destroy();
      }
    }
  }

  /** Kurento's CPU over {@code span} (a fixed measuring window) once every player of {@code setUp} plays. */
  private static long kmsCpu(KurentoClient kurento, RealKms kms, Duration span,
      Function<List<PlayerEndpoint>, List<MediaPipeline>> setUp) throws InterruptedException {
    List<PlayerEndpoint> players = new ArrayList<>();
    List<MediaPipeline> made = setUp.apply(players);
    // a player with nothing behind it reports no flow out: its position tells that it plays
    Await.until(Duration.ofSeconds(30), "every player playing",
        () -> players.stream().allMatch(player -> player.getPosition() > 0));
    long cpu0 = kms.cpuNanos();
    Thread.sleep(span.toMillis());
    long cpu = kms.cpuNanos() - cpu0;
    made.forEach(MediaPipeline::release);
    Await.until(Duration.ofSeconds(30), "every pipeline released", () -> kurento.getServerManager().getPipelines().isEmpty());
    return cpu;
  }

  private static List<MediaPipeline> build(KurentoClient kurento, int n, Path callerWav, Path botWav, Path recordTo,
      List<PlayerEndpoint> players) {
    List<MediaPipeline> made = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      MediaPipeline pipeline = kurento.createMediaPipeline();
      PlayerEndpoint caller = new PlayerEndpoint.Builder(pipeline, callerWav.toUri().toString()).build();
      PlayerEndpoint bot = new PlayerEndpoint.Builder(pipeline, botWav.toUri().toString()).build();
      if (recordTo != null) {
        Composite mixer = new Composite.Builder(pipeline).build();
        HubPort in1 = new HubPort.Builder(mixer).build();
        HubPort in2 = new HubPort.Builder(mixer).build();
        HubPort out = new HubPort.Builder(mixer).build();
        caller.connect(in1, MediaType.AUDIO);
        bot.connect(in2, MediaType.AUDIO);
        RecorderEndpoint recorder = new RecorderEndpoint.Builder(pipeline,
            recordTo.resolve("kms-" + i + ".webm").toUri().toString())
            .withMediaProfile(MediaProfileSpecType.WEBM_AUDIO_ONLY).build();
        out.connect(recorder, MediaType.AUDIO);
        recorder.record();
      }
      caller.play();
      bot.play();
      players.add(caller);
      players.add(bot);
      made.add(pipeline);
    }
    return made;
  }

  /** A 70 s tone, 16-bit mono 8 kHz WAV. */
  private static Path wav(Path file, double hz) throws Exception {
    int rate = 8000;
    byte[] pcm = new byte[rate * 70 * 2];
    for (int i = 0; i < pcm.length / 2; i++) {
      short s = (short) (8000 * Math.sin(2 * Math.PI * hz * i / rate));
      pcm[2 * i] = (byte) s;
      pcm[2 * i + 1] = (byte) (s >> 8);
    }
    AudioFormat format = new AudioFormat(rate, 16, 1, true, false);
    try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(pcm), format, pcm.length / 2)) {
      AudioSystem.write(in, AudioFileFormat.Type.WAVE, file.toFile());
    }
    return file;
  }
}
