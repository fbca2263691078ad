package dev.wavoice.realtime;

import dev.wavoice.ConfigValues;
import dev.wavoice.RequiredSettings;
import dev.wavoice.realtime.RealtimeWire.TurnDetection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * The OpenAI Realtime and agent settings from MicroProfile Config ({@code wavoice.openai.*},
 * {@code wavoice.agent.*}; env {@code WAVOICE_OPENAI_*}, {@code WAVOICE_AGENT_*}). Every value is
 * checked; a bad one is refused with a message naming its key. The API key is required (readiness
 * names it when it is missing) and is never logged.
 */
@ApplicationScoped
public class RealtimeConfig implements RequiredSettings {

  public static final String URL = "wavoice.openai.url";
  public static final String API_KEY = "wavoice.openai.api-key";
  public static final String API_URL = "wavoice.openai.api-url";
  public static final String MODEL = "wavoice.openai.model";
  public static final String CONNECT_TIMEOUT_MS = "wavoice.openai.connect-timeout-ms";
  public static final String ROLLOVER_AFTER_SECONDS = "wavoice.openai.rollover-after-seconds";
  public static final String KEEPALIVE_MS = "wavoice.openai.keepalive-ms";
  public static final String KEEPALIVE_TIMEOUT_MS = "wavoice.openai.keepalive-timeout-ms";
  public static final String TURN_DETECTION = "wavoice.openai.turn-detection";
  public static final String VAD_THRESHOLD = "wavoice.openai.vad-threshold";
  public static final String VAD_PREFIX_PADDING_MS = "wavoice.openai.vad-prefix-padding-ms";
  public static final String VAD_SILENCE_DURATION_MS = "wavoice.openai.vad-silence-duration-ms";
  public static final String VAD_IDLE_TIMEOUT_MS = "wavoice.openai.vad-idle-timeout-ms";
  public static final String VAD_EAGERNESS = "wavoice.openai.vad-eagerness";
  public static final String VAD_CREATE_RESPONSE = "wavoice.openai.vad-create-response";
  public static final String VAD_INTERRUPT_RESPONSE = "wavoice.openai.vad-interrupt-response";
  public static final String TRANSCRIPTION_MODEL = "wavoice.openai.transcription-model";
  public static final String TRANSCRIPTION_LANGUAGE = "wavoice.openai.transcription-language";
  public static final String NOISE_REDUCTION = "wavoice.openai.noise-reduction";
  public static final String PRICE_AUDIO_IN = "wavoice.openai.price.audio-in";
  public static final String PRICE_AUDIO_OUT = "wavoice.openai.price.audio-out";
  public static final String PRICE_CACHED_IN = "wavoice.openai.price.cached-in";
  public static final String PRICE_TEXT_IN = "wavoice.openai.price.text-in";
  public static final String PRICE_TEXT_OUT = "wavoice.openai.price.text-out";
  public static final String INSTRUCTIONS = "wavoice.agent.instructions";
  public static final String INSTRUCTIONS_FILE = "wavoice.agent.instructions-file";
  public static final String VOICE = "wavoice.agent.voice";
  public static final String SPEED = "wavoice.agent.speed";
  public static final String GREETING = "wavoice.agent.greeting";
  public static final String TOOLS_FILE = "wavoice.agent.tools-file";

  private Config config;
  private Jsonb jsonb;
  private volatile RealtimeSettings settings;

  protected RealtimeConfig() {}

  @Inject
  public RealtimeConfig(Config config, Jsonb jsonb) {
    this.config = config;
    this.jsonb = jsonb;
  }

  @Override
  public List<String> missingKeys() {
    return text(API_KEY).isPresent() ? List.of() : List.of(API_KEY);
  }

  /**
   * Reads and checks the settings at deploy: a bad value fails the deploy naming its key. A missing API
   * key does not: the app starts unready (see {@link #missingKeys()}) and no session opens.
   */
  void checkAtDeploy(@Observes @Initialized(ApplicationScoped.class) Object started) {
    settings();
  }

  /**
   * The settings, read and checked once (configuration is immutable while the app runs); the API key is
   * null when unset.
   *
   * @throws IllegalArgumentException naming the key of a bad value
   */
  public RealtimeSettings settings() {
    RealtimeSettings current = settings;
    if (current == null) {
      synchronized (this) {
        if (settings == null) {
          settings = read();
        }
        current = settings;
      }
    }
    return current;
  }

  /**
   * What the doctor needs to ask OpenAI whether the key is accepted: the REST API base
   * ({@code wavoice.openai.api-url}, by default derived from the Realtime URL), the key and the model.
   *
   * @throws IllegalArgumentException naming the key of a bad or missing value
   */
  public ModelAccessProbe.Target modelAccessTarget() {
    String apiKey = text(API_KEY).orElseThrow(() -> new IllegalArgumentException(API_KEY + " is not set"));
    URI realtime = uri(URL, text(URL).orElse("wss://api.openai.com/v1/realtime"));
    URI api = text(API_URL).map(value -> httpUri(API_URL, value)).orElseGet(() -> apiUrlFor(realtime));
    return new ModelAccessProbe.Target(api, apiKey, text(MODEL).orElse("gpt-realtime"));
  }

  /**
   * OpenAI's REST base next to a Realtime URL: {@code wss://api.openai.com/v1/realtime} →
   * {@code https://api.openai.com/v1} ({@code ws} → {@code http}); the path loses its last segment.
   */
  static URI apiUrlFor(URI realtime) {
    String scheme = "wss".equals(realtime.getScheme()) ? "https" : "http";
    String path = realtime.getRawPath() == null ? "" : realtime.getRawPath().replaceAll("/+$", "");
    int slash = path.lastIndexOf('/');
    String parent = slash <= 0 ? "" : path.substring(0, slash);
    return URI.create(scheme + "://" + realtime.getRawAuthority() + parent);
  }

  private static URI httpUri(String key, String value) {
    try {
      URI uri = URI.create(value.replaceAll("/+$", ""));
      if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new IllegalArgumentException("not an http:// or https:// URL");
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + " must be an https:// URL, was '" + value + "': " + e.getMessage(), e);
    }
  }

  private RealtimeSettings read() {
    String apiKey = text(API_KEY).orElse(null);
    URI url = uri(URL, text(URL).orElse("wss://api.openai.com/v1/realtime"));
    String model = text(MODEL).orElse("gpt-realtime");
    Duration connectTimeout = Duration.ofMillis(longIn(CONNECT_TIMEOUT_MS, 10_000, 100, 120_000));
    Duration rolloverAfter = Duration.ofSeconds(longIn(ROLLOVER_AFTER_SECONDS, 3_300, 1, 3_540));
    RealtimeSettings.Keepalive keepalive = new RealtimeSettings.Keepalive(
        Duration.ofMillis(longIn(KEEPALIVE_MS, 2_000, 100, 300_000)),
        Duration.ofMillis(longIn(KEEPALIVE_TIMEOUT_MS, 3_000, 100, 300_000)));

    String voice = text(VOICE).orElse("marin");
    double speed = doubleIn(SPEED, 1.0, 0.25, 1.5);
    String greeting = text(GREETING).orElse(null);

    Optional<String> inline = text(INSTRUCTIONS);
    Optional<String> file = text(INSTRUCTIONS_FILE);
    if (inline.isPresent() && file.isPresent()) {
      throw new IllegalArgumentException("set only one of " + INSTRUCTIONS + " and " + INSTRUCTIONS_FILE);
    }
    String instructions = file.map(this::readInstructions).orElse(inline.orElse(null));

    TurnDetection turnDetection = turnDetection();
    String transcriptionModel = config.getOptionalValue(TRANSCRIPTION_MODEL, String.class)
        .map(String::strip).orElse("gpt-4o-mini-transcribe");
    if (transcriptionModel.isEmpty()) {
      transcriptionModel = null;
    }
    String noiseReduction = switch (text(NOISE_REDUCTION).orElse("near_field").toLowerCase(Locale.ROOT)) {
      case "near_field" -> "near_field";
      case "far_field" -> "far_field";
      case "none", "off" -> null;
      default -> throw new IllegalArgumentException(
          NOISE_REDUCTION + " must be near_field, far_field or none, was '" + text(NOISE_REDUCTION).orElse("") + "'");
    };

    Prices prices = new Prices(
        doubleIn(PRICE_AUDIO_IN, Prices.GPT_REALTIME.audioIn(), 0, 1e6),
        doubleIn(PRICE_AUDIO_OUT, Prices.GPT_REALTIME.audioOut(), 0, 1e6),
        doubleIn(PRICE_CACHED_IN, Prices.GPT_REALTIME.cachedIn(), 0, 1e6),
        doubleIn(PRICE_TEXT_IN, Prices.GPT_REALTIME.textIn(), 0, 1e6),
        doubleIn(PRICE_TEXT_OUT, Prices.GPT_REALTIME.textOut(), 0, 1e6));

    ToolCatalog tools = new ToolCatalog(text(TOOLS_FILE).map(f -> ToolCatalog.load(Path.of(f), jsonb)).orElse(List.of()));

    return new RealtimeSettings(url, apiKey, model, connectTimeout, rolloverAfter, keepalive, instructions, voice, speed,
        turnDetection, transcriptionModel, text(TRANSCRIPTION_LANGUAGE).orElse(null), noiseReduction, greeting, prices,
        tools);
  }

  private TurnDetection turnDetection() {
    boolean createResponse = bool(VAD_CREATE_RESPONSE, true);
    boolean interruptResponse = bool(VAD_INTERRUPT_RESPONSE, true);
    String type = text(TURN_DETECTION).orElse("server_vad").toLowerCase(Locale.ROOT);
    return switch (type) {
      case "server_vad" -> {
        Integer idle = text(VAD_IDLE_TIMEOUT_MS).map(s -> (int) parseLong(VAD_IDLE_TIMEOUT_MS, s, 5_000, 30_000)).orElse(null);
        yield new TurnDetection("server_vad",
            doubleIn(VAD_THRESHOLD, 0.5, 0, 1),
            (int) longIn(VAD_PREFIX_PADDING_MS, 300, 0, 5_000),
            (int) longIn(VAD_SILENCE_DURATION_MS, 500, 0, 10_000),
            idle, null, createResponse, interruptResponse);
      }
      case "semantic_vad" -> {
        String eagerness = text(VAD_EAGERNESS).orElse("auto").toLowerCase(Locale.ROOT);
        if (!List.of("low", "medium", "high", "auto").contains(eagerness)) {
          throw new IllegalArgumentException(VAD_EAGERNESS + " must be low, medium, high or auto, was '" + eagerness + "'");
        }
        yield new TurnDetection("semantic_vad", null, null, null, null, eagerness, createResponse, interruptResponse);
      }
      default -> throw new IllegalArgumentException(
          TURN_DETECTION + " must be server_vad or semantic_vad, was '" + type + "'");
    };
  }

  private String readInstructions(String file) {
    try {
      String text = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
      if (text.isEmpty()) {
        throw new IllegalArgumentException(INSTRUCTIONS_FILE + " " + file + " is empty");
      }
      return text;
    } catch (IOException e) {
      throw new IllegalArgumentException(INSTRUCTIONS_FILE + ": cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private Optional<String> text(String key) {
    return ConfigValues.text(config, key);
  }

  private static URI uri(String key, String value) {
    try {
      URI uri = URI.create(value);
      if (!("wss".equals(uri.getScheme()) || "ws".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new IllegalArgumentException("not a ws:// or wss:// URL");
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + " must be a wss:// URL, was '" + value + "': " + e.getMessage(), e);
    }
  }

  private long longIn(String key, long fallback, long min, long max) {
    return text(key).map(s -> parseLong(key, s, min, max)).orElse(fallback);
  }

  private static long parseLong(String key, String value, long min, long max) {
    long parsed;
    try {
      parsed = Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, was '" + value + "'");
    }
    if (parsed < min || parsed > max) {
      throw new IllegalArgumentException(key + " must be between " + min + " and " + max + ", was " + parsed);
    }
    return parsed;
  }

  private double doubleIn(String key, double fallback, double min, double max) {
    Optional<String> value = text(key);
    if (value.isEmpty()) {
      return fallback;
    }
    double parsed;
    try {
      parsed = Double.parseDouble(value.get());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a number, was '" + value.get() + "'");
    }
    if (!(parsed >= min && parsed <= max)) {
      throw new IllegalArgumentException(key + " must be between " + min + " and " + max + ", was " + value.get());
    }
    return parsed;
  }

  private boolean bool(String key, boolean fallback) {
    Optional<String> value = text(key);
    if (value.isEmpty()) {
      return fallback;
    }
    return switch (value.get().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException(key + " must be true or false, was '" + value.get() + "'");
    };
  }
}
