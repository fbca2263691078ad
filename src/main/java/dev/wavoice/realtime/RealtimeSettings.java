package dev.wavoice.realtime;

import dev.wavoice.realtime.RealtimeWire.Audio;
import dev.wavoice.realtime.RealtimeWire.AudioFormat;
import dev.wavoice.realtime.RealtimeWire.AudioInput;
import dev.wavoice.realtime.RealtimeWire.AudioOutput;
import dev.wavoice.realtime.RealtimeWire.FunctionTool;
import dev.wavoice.realtime.RealtimeWire.NoiseReduction;
import dev.wavoice.realtime.RealtimeWire.Session;
import dev.wavoice.realtime.RealtimeWire.Transcription;
import dev.wavoice.realtime.RealtimeWire.TurnDetection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything a Realtime session is opened and configured with, checked and immutable. Built by
 * {@link RealtimeConfig} from MicroProfile Config; tests build it with {@link #builder()}.
 * {@link #toString()} never
 * shows the API key.
 *
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
  }

  /** OpenAI's hard limit on one Realtime session. */
  public static final Duration MAX_SESSION = Duration.ofMinutes(60);

  public RealtimeSettings {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(rolloverAfter, "rolloverAfter");
    Objects.requireNonNull(keepalive, "keepalive");
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

  /**
   * The {@code session} of the {@code session.update} wavoice sends (GA shape).
   *
   * @param format the audio format both ways (the call's RTP leg decides it)
   * @param callTools the tools the session's opener adds
   */
  public Session sessionUpdate(AudioFormat format, List<ToolHandler> callTools) {
    List<FunctionTool> declared = tools.declarations(callTools);
    var input = new AudioInput(
        format,
        transcriptionModel == null ? null : new Transcription(transcriptionModel, transcriptionLanguage),
        noiseReduction == null ? null : new NoiseReduction(noiseReduction),
        turnDetection);
    var output = new AudioOutput(format, voice, speed);
    return Session.update(instructions, new Audio(input, output), declared);
  }

  /** Settings built field by field (tests, benchmarks); checked by the constructor on {@link Builder#build()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these settings, to change some of them. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.url = url;
    b.apiKey = apiKey;
    b.model = model;
    b.connectTimeout = connectTimeout;
    b.rolloverAfter = rolloverAfter;
    b.keepalive = keepalive;
    b.instructions = instructions;
    b.voice = voice;
    b.speed = speed;
    b.turnDetection = turnDetection;
    b.transcriptionModel = transcriptionModel;
    b.transcriptionLanguage = transcriptionLanguage;
    b.noiseReduction = noiseReduction;
    b.greeting = greeting;
    b.prices = prices;
    b.tools = tools;
    return b;
  }

  /** Builds {@link RealtimeSettings}; every field starts unset (null, 0) but the tools (none). */
  public static final class Builder {
    private URI url;
    private String apiKey;
    private String model;
    private Duration connectTimeout;
    private Duration rolloverAfter;
    private Keepalive keepalive;
    private String instructions;
    private String voice;
    private double speed;
    private TurnDetection turnDetection;
    private String transcriptionModel;
    private String transcriptionLanguage;
    private String noiseReduction;
    private String greeting;
    private Prices prices;
    private ToolCatalog tools = new ToolCatalog(List.of());

    private Builder() {}

    public Builder url(URI url) {
      this.url = url;
      return this;
    }

    public Builder apiKey(String apiKey) {
      this.apiKey = apiKey;
      return this;
    }

    public Builder model(String model) {
      this.model = model;
      return this;
    }

    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    public Builder rolloverAfter(Duration rolloverAfter) {
      this.rolloverAfter = rolloverAfter;
      return this;
    }

    public Builder keepalive(Keepalive keepalive) {
      this.keepalive = keepalive;
      return this;
    }

    /** A ping this often, its pong due within the same time. */
    public Builder keepalive(Duration every) {
      return keepalive(new Keepalive(every, every));
    }

    public Builder instructions(String instructions) {
      this.instructions = instructions;
      return this;
    }

    public Builder voice(String voice) {
      this.voice = voice;
      return this;
    }

    public Builder speed(double speed) {
      this.speed = speed;
      return this;
    }

    public Builder turnDetection(TurnDetection turnDetection) {
      this.turnDetection = turnDetection;
      return this;
    }

    public Builder transcriptionModel(String transcriptionModel) {
      this.transcriptionModel = transcriptionModel;
      return this;
    }

    public Builder transcriptionLanguage(String transcriptionLanguage) {
      this.transcriptionLanguage = transcriptionLanguage;
      return this;
    }

    public Builder noiseReduction(String noiseReduction) {
      this.noiseReduction = noiseReduction;
      return this;
    }

    public Builder greeting(String greeting) {
      this.greeting = greeting;
      return this;
    }

    public Builder prices(Prices prices) {
      this.prices = prices;
      return this;
    }

    public Builder tools(ToolCatalog tools) {
      this.tools = tools;
      return this;
    }

    public RealtimeSettings build() {
      return new RealtimeSettings(url, apiKey, model, connectTimeout, rolloverAfter, keepalive, instructions, voice, speed, turnDetection, transcriptionModel, transcriptionLanguage, noiseReduction, greeting, prices, tools);
    }
  }

  @Override
  public String toString() {
    return "RealtimeSettings[url=" + url + ", apiKey=" + (apiKey == null || apiKey.isEmpty() ? "(unset)" : "(set)")
        + ", model=" + model + ", voice=" + voice + ", turnDetection=" + turnDetection.type()
        + ", transcriptionModel=" + transcriptionModel + ", noiseReduction=" + noiseReduction
        + ", rolloverAfter=" + rolloverAfter + ", tools=" + tools.httpTools().size() + " HTTP]";
  }
}
