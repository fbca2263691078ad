package dev.wavoice.realtime;

import dev.wavoice.realtime.RealtimeTypes.Audio;
import dev.wavoice.realtime.RealtimeTypes.AudioFormat;
import dev.wavoice.realtime.RealtimeTypes.AudioInput;
import dev.wavoice.realtime.RealtimeTypes.AudioOutput;
import dev.wavoice.realtime.RealtimeTypes.FunctionTool;
import dev.wavoice.realtime.RealtimeTypes.NoiseReduction;
import dev.wavoice.realtime.RealtimeTypes.Session;
import dev.wavoice.realtime.RealtimeTypes.Transcription;
import dev.wavoice.realtime.RealtimeTypes.TurnDetection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything a Realtime session is opened and configured with, checked and immutable. Built by
 * {@link RealtimeConfig} from MicroProfile Config; tests build it directly. {@link #toString()} never
 * shows the API key.
 *
 * @param format the audio format both ways: {@code audio/pcmu} in PCMU mode, {@code audio/pcm} 24 kHz in Opus mode
 * @param instructions null for OpenAI's default
 * @param transcriptionModel null when input transcription is off
 * @param noiseReduction {@code near_field}, {@code far_field} or null (off)
 * @param greeting what the agent says first, or null for no greeting
 * @param rolloverAfter when a new session is prepared to replace the current one (OpenAI ends sessions at 60 minutes)
 * @param keepalive how often a WebSocket ping goes out and how long its pong may take before the connection counts as dead
 */
public record RealtimeSettings(
    URI url,
    String apiKey,
    String model,
    Duration connectTimeout,
    Duration rolloverAfter,
    Keepalive keepalive,
    AudioFormat format,
    String instructions,
    String voice,
    double speed,
    TurnDetection turnDetection,
    String transcriptionModel,
    String transcriptionLanguage,
    String noiseReduction,
    String greeting,
    Prices prices,
    ToolCatalog tools) {

  /**
   * A connection cut without a close frame (a dead route, a crashed host) sends nothing: a ping goes out
   * every {@code interval}, and no pong within {@code timeout} of it ends the connection. A silent drop is
   * therefore noticed within {@code interval + timeout}.
   */
  public record Keepalive(Duration interval, Duration timeout) {
    public Keepalive {
      Objects.requireNonNull(interval, "interval");
      Objects.requireNonNull(timeout, "timeout");
      if (interval.isNegative() || interval.isZero() || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("the keepalive interval and timeout must be positive, were " + interval + " and " + timeout);
      }
    }

    /** The longest a connection that went silent can go unnoticed. */
    public Duration noticedWithin() {
      return interval.plus(timeout);
    }
  }

  /** OpenAI's hard limit on one Realtime session. */
  public static final Duration MAX_SESSION = Duration.ofMinutes(60);

  public RealtimeSettings {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(rolloverAfter, "rolloverAfter");
    Objects.requireNonNull(keepalive, "keepalive");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(voice, "voice");
    Objects.requireNonNull(turnDetection, "turnDetection");
    Objects.requireNonNull(prices, "prices");
    Objects.requireNonNull(tools, "tools");
    if (rolloverAfter.isNegative() || rolloverAfter.isZero() || rolloverAfter.compareTo(MAX_SESSION) >= 0) {
      throw new IllegalArgumentException("rolloverAfter must be between 0 and 60 minutes, was " + rolloverAfter);
    }
  }

  /** {@code <url>?model=<model>}. */
  public URI endpoint() {
    String separator = url.getRawQuery() == null ? "?" : "&";
    return URI.create(url + separator + "model=" + URLEncoder.encode(model, StandardCharsets.UTF_8));
  }

  /** The {@code session} of the {@code session.update} wavoice sends (GA shape). */
  public Session sessionUpdate(boolean canMessageCaller) {
    List<FunctionTool> declared = tools.declarations(canMessageCaller);
    var input = new AudioInput(
        format,
        transcriptionModel == null ? null : new Transcription(transcriptionModel, transcriptionLanguage),
        noiseReduction == null ? null : new NoiseReduction(noiseReduction),
        turnDetection);
    var output = new AudioOutput(format, voice, speed);
    return Session.update(instructions, new Audio(input, output), declared);
  }

  public RealtimeSettings withUrl(URI newUrl) {
    return new RealtimeSettings(newUrl, apiKey, model, connectTimeout, rolloverAfter, keepalive, format, instructions, voice,
        speed, turnDetection, transcriptionModel, transcriptionLanguage, noiseReduction, greeting, prices, tools);
  }

  public RealtimeSettings withKeepalive(Duration every) {
    return withKeepalive(new Keepalive(every, every));
  }

  public RealtimeSettings withKeepalive(Keepalive every) {
    return new RealtimeSettings(url, apiKey, model, connectTimeout, rolloverAfter, every, format, instructions, voice,
        speed, turnDetection, transcriptionModel, transcriptionLanguage, noiseReduction, greeting, prices, tools);
  }

  public RealtimeSettings withRolloverAfter(Duration after) {
    return new RealtimeSettings(url, apiKey, model, connectTimeout, after, keepalive, format, instructions, voice,
        speed, turnDetection, transcriptionModel, transcriptionLanguage, noiseReduction, greeting, prices, tools);
  }

  public RealtimeSettings withFormat(AudioFormat newFormat) {
    return new RealtimeSettings(url, apiKey, model, connectTimeout, rolloverAfter, keepalive, newFormat, instructions, voice,
        speed, turnDetection, transcriptionModel, transcriptionLanguage, noiseReduction, greeting, prices, tools);
  }

  public RealtimeSettings withApiKey(String key) {
    return new RealtimeSettings(url, key, model, connectTimeout, rolloverAfter, keepalive, format, instructions, voice,
        speed, turnDetection, transcriptionModel, transcriptionLanguage, noiseReduction, greeting, prices, tools);
  }

  public RealtimeSettings withGreeting(String text) {
    return new RealtimeSettings(url, apiKey, model, connectTimeout, rolloverAfter, keepalive, format, instructions, voice,
        speed, turnDetection, transcriptionModel, transcriptionLanguage, noiseReduction, text, prices, tools);
  }

  public RealtimeSettings withTools(ToolCatalog catalog) {
    return new RealtimeSettings(url, apiKey, model, connectTimeout, rolloverAfter, keepalive, format, instructions, voice,
        speed, turnDetection, transcriptionModel, transcriptionLanguage, noiseReduction, greeting, prices, catalog);
  }

  @Override
  public String toString() {
    return "RealtimeSettings[url=" + url + ", apiKey=" + (apiKey == null || apiKey.isEmpty() ? "(unset)" : "(set)")
        + ", model=" + model + ", format=" + format + ", voice=" + voice + ", turnDetection=" + turnDetection.type()
        + ", transcriptionModel=" + transcriptionModel + ", noiseReduction=" + noiseReduction
        + ", rolloverAfter=" + rolloverAfter + ", tools=" + tools.httpTools().size() + " HTTP]";
  }
}
