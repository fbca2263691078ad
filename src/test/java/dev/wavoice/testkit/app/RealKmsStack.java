package dev.wavoice.testkit.app;

import dev.wavoice.testkit.kms.RealKms;
import dev.wavoice.testkit.openai.OpenAiRealtimeDouble;
import dev.wavoice.testkit.whatsapp.WebhookSender;
import dev.wavoice.testkit.whatsapp.WhatsAppCloudDouble;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The app on Payara Micro with the real Kurento Media Server (stock 7.3, on loopback) for media, and the
 * strict doubles for what our machines cannot reach (WhatsApp Cloud API, OpenAI Realtime). Calls come
 * from the real WebRTC caller. Shared by all test classes that ask for it.
 */
public final class RealKmsStack implements AutoCloseable {

  public static final String APP_SECRET = "it-app-secret-real-2a9d";
  public static final String VERIFY_TOKEN = "it-verify-token-real-6e01";
  public static final String ACCESS_TOKEN = "it-access-token-real-b3c8";
  public static final String PHONE_NUMBER_ID = "436666719526789";
  public static final String OPENAI_API_KEY = "it-openai-key-real-5d7f";
  public static final String ADMIN_TOKEN = "it-admin-token-real-09ce";
  public static final String KURENTO_INSTANCE_TAG = "it-real-kms-stack";

  public final RealKms kms;
  public final WhatsAppCloudDouble whatsapp;
  public final OpenAiRealtimeDouble openai;
  public final PayaraApp app;

  private RealKmsStack(RealKms kms, WhatsAppCloudDouble whatsapp, OpenAiRealtimeDouble openai, PayaraApp app) {
    this.kms = kms;
    this.whatsapp = whatsapp;
    this.openai = openai;
    this.app = app;
  }

  static RealKmsStack start(RealKms kms) {
    return start(kms, "real-kms", Map.of());
  }

  /** A stack of its own, named {@code name}, with {@code extraEnv} on top of the usual settings. */
  static RealKmsStack start(RealKms kms, String name, Map<String, String> extraEnv) {
    WhatsAppCloudDouble whatsapp = WhatsAppCloudDouble.start(ACCESS_TOKEN, PHONE_NUMBER_ID);
    OpenAiRealtimeDouble openai = OpenAiRealtimeDouble.start(OPENAI_API_KEY);
    try {
      Map<String, String> env = new LinkedHashMap<>();
      env.put("WAVOICE_WHATSAPP_APP_SECRET", APP_SECRET);
      env.put("WAVOICE_WHATSAPP_VERIFY_TOKEN", VERIFY_TOKEN);
      env.put("WAVOICE_WHATSAPP_ACCESS_TOKEN", ACCESS_TOKEN);
      env.put("WAVOICE_WHATSAPP_PHONE_NUMBER_ID", PHONE_NUMBER_ID);
      env.put("WAVOICE_WHATSAPP_GRAPH_BASE_URL", whatsapp.baseUrl());
      env.put("WAVOICE_OPENAI_URL", openai.url());
      env.put("WAVOICE_OPENAI_API_KEY", OPENAI_API_KEY);
      env.put("WAVOICE_KURENTO_URL", kms.url());
      env.put("WAVOICE_KURENTO_INSTANCE_TAG", KURENTO_INSTANCE_TAG);
      env.put("WAVOICE_ADMIN_TOKEN", ADMIN_TOKEN);
      // keep wavoice's RTP ports apart from other runs on the same machine
      int base = rtpPortBase();
      env.put("WAVOICE_MEDIA_RTP_PORT_RANGE", base + "-" + (base + 199));
      env.putAll(extraEnv);
      return new RealKmsStack(kms, whatsapp, openai, PayaraApp.start(name, env));
    } catch (RuntimeException e) {
      whatsapp.close();
      openai.close();
      throw e;
    }
  }

  /** The first port of this run's RTP range (200 ports; another stack of the run takes the next 200). */
  static int rtpPortBase() {
    return 32000 + 2 * (int) (ProcessHandle.current().pid() % 400);
  }

  public WebhookSender webhooks() {
    return whatsapp.webhooks(app.uri("/webhook"), APP_SECRET);
  }

  public AdminClient admin() {
    return new AdminClient(app, ADMIN_TOKEN);
  }

  @Override
  public void close() {
    app.close();
    whatsapp.close();
    openai.close();
  }
}
