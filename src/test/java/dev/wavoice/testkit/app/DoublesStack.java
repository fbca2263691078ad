package dev.wavoice.testkit.app;

import dev.wavoice.testkit.kms.KmsDouble;
import dev.wavoice.testkit.openai.OpenAiRealtimeDouble;
import dev.wavoice.testkit.tools.ToolServer;
import dev.wavoice.testkit.whatsapp.WebhookSender;
import dev.wavoice.testkit.whatsapp.WhatsAppCloudDouble;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The app on Payara Micro, fully configured, with every outside service replaced by its strict double
 * on loopback (WhatsApp Cloud API, OpenAI Realtime, Kurento). Started once per test run and shared by all
 * test classes that ask for it.
 */
public final class DoublesStack implements AutoCloseable {

  public static final String APP_SECRET = "it-app-secret-5f1c";
  public static final String VERIFY_TOKEN = "it-verify-token-93ab";
  public static final String ACCESS_TOKEN = "it-access-token-0d7e";
  public static final String PHONE_NUMBER_ID = "436666719526789";
  public static final String OPENAI_API_KEY = "it-openai-key-4c2d";
  public static final String ADMIN_TOKEN = "it-admin-token-71b0";
  /** Calls from this number are refused by the app (tests of the webhook alone use it). */
  public static final String BLOCKED_NUMBER = "19995550100";
  public static final String APP_ID = WhatsAppCloudDouble.DEFAULT_APP_ID;
  /** Where Meta would deliver webhooks: the double's app subscription points here, and the doctor compares. */
  public static final String PUBLIC_URL = "https://wavoice.example.test";
  public static final int DOCTOR_TIMEOUT_MS = 2000;
  /** Small on purpose: the capacity test fills it. */
  public static final int MAX_ACTIVE_CALLS = 3;
  public static final int MEDIA_TIMEOUT_SECONDS = 12;
  /** Short, so the test of an outgoing call nobody answers ends soon. */
  public static final int OUTBOUND_ANSWER_TIMEOUT_SECONDS = 6;
  /** The app's {@code wavoice.kurento.instance-tag}: the pipelines it makes on the KMS double carry it. */
  public static final String KURENTO_INSTANCE_TAG = "it-doubles-stack";
  /** The operator HTTP tool configured in this stack (tools file), served by {@link #tools}. */
  public static final String HTTP_TOOL = "lookup_order";
  public static final String HTTP_TOOL_PATH = "/voice-tools/lookup_order";
  public static final int HTTP_TOOL_TIMEOUT_MS = 1500;
  /** A header the tools file configures for the HTTP tool (an operator's CRM credential). */
  public static final String HTTP_TOOL_AUTHORIZATION = "Bearer it-crm-token-6a3e";

  public final WhatsAppCloudDouble whatsapp;
  public final OpenAiRealtimeDouble openai;
  /** Kurento: callers connect as soon as their endpoint is negotiated and speak a 440 Hz tone. */
  public final KmsDouble kms;
  /** The operator's tool endpoint behind {@link #HTTP_TOOL}: started before the app, which reads the tools file once. */
  public final ToolServer tools;
  public final PayaraApp app;

  private DoublesStack(WhatsAppCloudDouble whatsapp, OpenAiRealtimeDouble openai, KmsDouble kms, ToolServer tools, PayaraApp app) {
    this.whatsapp = whatsapp;
    this.openai = openai;
    this.kms = kms;
    this.tools = tools;
    this.app = app;
  }

  static DoublesStack start() {
    return start("doubles", KmsDouble.Options.defaults(), Map.of());
  }

  /**
   * This stack's configuration plus {@code extraEnv}, as its own app (profile {@code name}); the KMS
   * double uses {@code kmsOptions}' port range, so two such stacks can run side by side.
   */
  static DoublesStack start(String name, KmsDouble.Options kmsOptions, Map<String, String> extraEnv) {
    WhatsAppCloudDouble whatsapp = startWhatsApp();
    OpenAiRealtimeDouble openai = OpenAiRealtimeDouble.start(OPENAI_API_KEY);
    KmsDouble kms = KmsDouble.start(kmsOptions.autoConnectCallers(true).callerToneHz(440));
    ToolServer tools = new ToolServer();
    try {
      Map<String, String> env = appEnv(whatsapp, openai.url(), openai.apiUrl(), kms.url(), PayaraApp.workDir(name).resolve("data"));
      env.put("WAVOICE_AGENT_TOOLS_FILE", writeToolsFile(PayaraApp.workDir(name), tools).toString());
      env.put("WAVOICE_KURENTO_RECONCILE_INTERVAL_SECONDS", "1");
      // the tests stop and start the KMS double: reconnect within 2 s rather than backing off to 30 s
      env.put("WAVOICE_KURENTO_RETRY_MAX_MS", "2000");
      env.put("WAVOICE_CALLS_MAX_ACTIVE", Integer.toString(MAX_ACTIVE_CALLS));
      env.put("WAVOICE_CALLS_BLOCKED_NUMBERS", "+1 999 555 0100");
      env.put("WAVOICE_CALLS_MEDIA_TIMEOUT_SECONDS", Integer.toString(MEDIA_TIMEOUT_SECONDS));
      env.put("WAVOICE_CALLS_OUTBOUND_ANSWER_TIMEOUT_SECONDS", Integer.toString(OUTBOUND_ANSWER_TIMEOUT_SECONDS));
      // accept only once media connected: a caller that never connects is rejected, never accepted
      // (accepting without media, and the other call limits, are tested on the LimitsStack)
      env.put("WAVOICE_CALLS_ACCEPT_WITHOUT_MEDIA_AFTER_MS", "0");
      env.putAll(extraEnv);
      return new DoublesStack(whatsapp, openai, kms, tools, PayaraApp.start(name, env));
    } catch (RuntimeException e) {
      tools.close();
      kms.close();
      whatsapp.close();
      openai.close();
      throw e;
    }
  }

  /**
   * The app's configuration against doubles: the WhatsApp double (this stack's secrets and ids), the
   * OpenAI double and Kurento at these URLs, the call record database (H2 in mixed mode, so tests can
   * read it while the app runs) in {@code dataDir}. A mutable map: callers add their own settings.
   */
  public static Map<String, String> appEnv(WhatsAppCloudDouble whatsapp, String openaiUrl, String openaiApiUrl, String kurentoUrl,
      java.nio.file.Path dataDir) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("WAVOICE_WHATSAPP_APP_SECRET", APP_SECRET);
    env.put("WAVOICE_WHATSAPP_VERIFY_TOKEN", VERIFY_TOKEN);
    env.put("WAVOICE_WHATSAPP_ACCESS_TOKEN", ACCESS_TOKEN);
    env.put("WAVOICE_WHATSAPP_PHONE_NUMBER_ID", PHONE_NUMBER_ID);
    env.put("WAVOICE_WHATSAPP_GRAPH_BASE_URL", whatsapp.baseUrl());
    env.put("WAVOICE_WHATSAPP_WABA_ID", whatsapp.wabaId());
    env.put("WAVOICE_WHATSAPP_APP_ID", APP_ID);
    env.put("WAVOICE_PUBLIC_URL", PUBLIC_URL);
    env.put("WAVOICE_DOCTOR_TIMEOUT_MS", Integer.toString(DOCTOR_TIMEOUT_MS));
    env.put("WAVOICE_WEBHOOK_MAX_BODY_BYTES", "65536");
    env.put("WAVOICE_OPENAI_URL", openaiUrl);
    env.put("WAVOICE_OPENAI_API_KEY", OPENAI_API_KEY);
    env.put("WAVOICE_OPENAI_API_URL", openaiApiUrl);
    env.put("WAVOICE_KURENTO_URL", kurentoUrl);
    env.put("WAVOICE_KURENTO_INSTANCE_TAG", KURENTO_INSTANCE_TAG);
    env.put("WAVOICE_ADMIN_TOKEN", ADMIN_TOKEN);
    env.put("WAVOICE_DB_URL", "jdbc:h2:file:" + dataDir.toAbsolutePath() + "/wavoice;AUTO_SERVER=TRUE");
    return env;
  }

  /** The operator's tools file (format of docs/realtime.md): one HTTP tool on the test's tool server. */
  static Path writeToolsFile(Path dir, ToolServer server) {
    String json = """
        {"tools": [{
          "name": "%s",
          "description": "Looks up an order by its number and tells its status and delivery date.",
          "parameters": {"type": "object", "properties": {"order_id": {"type": "string"}}, "required": ["order_id"]},
          "url": "%s",
          "timeout_ms": %d,
          "headers": {"Authorization": "%s"}
        }]}
        """.formatted(HTTP_TOOL, server.url(HTTP_TOOL_PATH), HTTP_TOOL_TIMEOUT_MS, HTTP_TOOL_AUTHORIZATION);
    try {
      Files.createDirectories(dir);
      return Files.writeString(dir.resolve("tools.json"), json, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A doubled WhatsApp Cloud API with this stack's token, phone number, app and webhook subscription. */
  public static WhatsAppCloudDouble startWhatsApp() {
    return WhatsAppCloudDouble.start(ACCESS_TOKEN, PHONE_NUMBER_ID).app(APP_ID, APP_SECRET).webhookCallbackUrl(PUBLIC_URL + "/webhook");
  }

  public WebhookSender webhooks() {
    return whatsapp.webhooks(app.uri("/webhook"), APP_SECRET);
  }

  public AdminClient admin() {
    return new AdminClient(app, ADMIN_TOKEN);
  }

  /** A JDBC connection to the app's call record database (H2 in mixed mode). */
  public java.sql.Connection database() throws java.sql.SQLException {
    return java.sql.DriverManager.getConnection(app.env().get("WAVOICE_DB_URL"), "sa", "");
  }

  public Probe probe() {
    return new Probe(app);
  }

  @Override
  public void close() {
    app.close();
    kms.close();
    whatsapp.close();
    openai.close();
    tools.close();
  }
}
