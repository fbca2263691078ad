package dev.wavoice.testkit.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Headless Chromium from the distribution's packages (Debian {@code chromium} and {@code chromium-driver};
 * binary from system property {@code wavoice.it.chromium}, driver from {@code wavoice.it.chromedriver})
 * driven through Selenium, kept off the network and able to make WebRTC calls on loopback, with a fake
 * microphone that plays a tone file. Each instance has a fresh profile under {@code target/browser/<id>/}.
 * The flags, why each is there and what failed without it are in docs/console.md.
 */
public final class Chromium implements AutoCloseable {

  public static final String BINARY_PROPERTY = "wavoice.it.chromium";
  public static final String DRIVER_PROPERTY = "wavoice.it.chromedriver";
  /** Debian's real binary: its {@code /usr/bin/chromium} launcher sources /etc/chromium.d, which adds Google API keys and flags. */
  private static final String DEFAULT_BINARY = "/usr/lib/chromium/chromium";
  private static final String DEFAULT_DRIVER = "/usr/bin/chromedriver";

  /** Headless, and nothing that talks to the network on its own. */
  public static final List<String> OFFLINE_FLAGS = List.of(
      "--headless=new",
      "--no-sandbox", // runs as root in CI; the sandbox refuses that
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-default-apps",
      "--disable-extensions",
      "--no-first-run",
      "--no-default-browser-check",
      "--disable-quic",
      "--metrics-recording-only");

  /** WebRTC on loopback with a fake microphone. */
  public static final String ALLOW_LOOPBACK = "--allow-loopback-in-peer-connection";
  public static final String NO_MDNS = "--disable-features=WebRtcHideLocalIpsWithMdns";
  public static final String FAKE_UI = "--use-fake-ui-for-media-stream";
  public static final String FAKE_DEVICE = "--use-fake-device-for-media-stream";
  public static final List<String> WEBRTC_FLAGS = List.of(ALLOW_LOOPBACK, NO_MDNS, FAKE_UI, FAKE_DEVICE);

  /** A phone-sized window (CSS pixels) for the pages' small-screen layout. */
  public static final Dimension PHONE = new Dimension(390, 844);
  public static final Dimension DESKTOP = new Dimension(1280, 900);

  private final Path dir;
  private final ChromeDriver driver;

  private Chromium(Path dir, ChromeDriver driver) {
    this.dir = dir;
    this.driver = driver;
  }

  /** Starts Chromium with every flag; its fake microphone plays a sine at {@code toneHz}. */
  public static Chromium start(int toneHz) {
    return start(toneHz, Set.of());
  }

  /** Starts Chromium without the flags in {@code without} (to show what each is for). */
  public static Chromium start(int toneHz, Set<String> without) {
    Path binary = Path.of(System.getProperty(BINARY_PROPERTY, DEFAULT_BINARY));
    Path driverBinary = Path.of(System.getProperty(DRIVER_PROPERTY, DEFAULT_DRIVER));
    if (!Files.isExecutable(binary) || !Files.isExecutable(driverBinary)) {
      throw new IllegalStateException("the browser tests need Chromium and its driver from the distribution: install Debian's "
          + "'chromium' and 'chromium-driver' (.ci/run does), or set -D" + BINARY_PROPERTY + " and -D" + DRIVER_PROPERTY
          + "; looked for " + binary + " and " + driverBinary);
    }
    Path dir = Path.of("target", "browser", UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath();
    try {
      Files.createDirectories(dir);
      Path tone = dir.resolve("tone-" + toneHz + "hz.wav");
      Files.write(tone, toneWav(toneHz, 48_000, 4));

      List<String> args = new ArrayList<>();
      OFFLINE_FLAGS.stream().filter(f -> !without.contains(f)).forEach(args::add);
      WEBRTC_FLAGS.stream().filter(f -> !without.contains(f)).forEach(args::add);
      args.add("--use-file-for-fake-audio-capture=" + tone); // loops the file
      args.add("--user-data-dir=" + dir.resolve("profile"));
      args.add("--window-size=" + DESKTOP.getWidth() + "," + DESKTOP.getHeight());

      ChromeOptions options = new ChromeOptions();
      // with the binary and the driver given, Selenium never looks for (or downloads) a browser or driver
      options.setBinary(binary.toFile());
      options.addArguments(args);
      LoggingPreferences logs = new LoggingPreferences();
      logs.enable(LogType.BROWSER, Level.ALL);
      options.setCapability("goog:loggingPrefs", logs);
      ChromeDriverService service = new ChromeDriverService.Builder()
          .usingDriverExecutable(driverBinary.toFile())
          .usingAnyFreePort()
          .withLogFile(dir.resolve("chromedriver.log").toFile())
          .build();
      ChromeDriver driver = new ChromeDriver(service, options);
      driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
      return new Chromium(dir, driver);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public WebDriver driver() {
    return driver;
  }

  public void open(String url) {
    driver.get(url);
  }

  public void windowSize(Dimension size) {
    driver.manage().window().setSize(size);
  }

  /** Runs {@code js} (a function body; {@code arguments} are the args) and returns its value. */
  public Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }

  /**
   * Runs an async function body: {@code js} may {@code await}; its return value comes back (a thrown
   * error fails the call with its message).
   */
  public Object await(String js, Object... args) {
    String wrapped = "const done = arguments[arguments.length - 1];"
        + "(async (...args) => {" + js + "})(...Array.prototype.slice.call(arguments, 0, -1))"
        + ".then(v => done({ok: v === undefined ? null : v}), e => done({error: String(e && e.stack || e)}));";
    Object result = ((JavascriptExecutor) driver).executeAsyncScript(wrapped, args);
    if (!(result instanceof Map<?, ?> map)) {
      throw new IllegalStateException("unexpected script result " + result);
    }
    if (map.containsKey("error")) {
      throw new IllegalStateException("script failed: " + map.get("error"));
    }
    return map.get("ok");
  }

  /** Writes a PNG of the current page to {@code target/screenshots/<name>.png}. */
  public Path screenshot(String name) {
    try {
      Path out = Path.of("target", "screenshots", name + ".png");
      Files.createDirectories(out.getParent());
      Files.write(out, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The browser console's lines so far (for failure messages). */
  public List<String> consoleLog() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::toString).toList();
  }

  public Path dir() {
    return dir;
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      deleteQuietly(dir.resolve("profile"));
    }
  }

  /** A 16-bit mono PCM WAV of a sine at {@code hz}, half of full scale. */
  static byte[] toneWav(int hz, int sampleRate, int seconds) {
    int samples = sampleRate * seconds;
    ByteBuffer wav = ByteBuffer.allocate(44 + 2 * samples).order(ByteOrder.LITTLE_ENDIAN);
    wav.put("RIFF".getBytes()).putInt(36 + 2 * samples).put("WAVE".getBytes());
    wav.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1)
        .putInt(sampleRate).putInt(sampleRate * 2).putShort((short) 2).putShort((short) 16);
    wav.put("data".getBytes()).putInt(2 * samples);
    for (int i = 0; i < samples; i++) {
      wav.putShort((short) Math.round(16_000 * Math.sin(2 * Math.PI * hz * i / sampleRate)));
    }
    return wav.array();
  }

  private static void deleteQuietly(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException ignored) {
      // a leftover profile in target/ is harmless
    }
  }
}
