package dev.wavoice.whatsapp;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The WhatsApp webhook. GET answers Meta's verification handshake; POST takes signed deliveries. The
 * order of checks is fixed: configured (503), size (413), signature over the raw bytes (401), JSON
 * shape (400); only then is anything dispatched, asynchronously, and 200 returned at once (500 when no
 * thread would take a delivery, so Meta redelivers it). One instance serves every request (it keeps no
 * state of its own): a request-scoped resource was a bean created and destroyed per webhook.
 */
@Path("")
@ApplicationScoped
public class WebhookResource {

  private static final Logger LOG = Logger.getLogger(WebhookResource.class.getName());

  private WhatsAppConfig config;
  private WebhookDispatcher dispatcher;
  private WebhookTraffic traffic;
  private Jsonb jsonb;
  private Clock clock;

  protected WebhookResource() {}

  @Inject
  public WebhookResource(
      WhatsAppConfig config, WebhookDispatcher dispatcher, WebhookTraffic traffic, Jsonb jsonb, Clock clock) {
    this.config = config;
    this.dispatcher = dispatcher;
    this.traffic = traffic;
    this.jsonb = jsonb;
    this.clock = clock;
  }

  @GET
  @Produces(MediaType.TEXT_PLAIN)
  public Response verify(
      @QueryParam("hub.mode") String mode,
      @QueryParam("hub.verify_token") String token,
      @QueryParam("hub.challenge") String challenge) {
    Optional<String> expected = config.verifyToken();
    if (expected.isEmpty()) {
      return plain(Response.Status.SERVICE_UNAVAILABLE, WhatsAppConfig.VERIFY_TOKEN + " is not set");
    }
    if (!"subscribe".equals(mode) || token == null || challenge == null || !sameText(expected.get(), token)) {
      LOG.warning("webhook verification refused (wrong mode or verify token)");
      return plain(Response.Status.FORBIDDEN, "verification refused");
    }
    traffic.verified(clock.instant());
    return plain(Response.Status.OK, challenge);
  }

  @POST
  @Consumes(MediaType.WILDCARD)
  @Produces(MediaType.TEXT_PLAIN)
  public Response receive(
      @HeaderParam(WebhookSignature.HEADER) String signature,
      @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength,
      InputStream body) {
    Optional<String> secret = config.appSecret();
    if (secret.isEmpty()) {
      return plain(Response.Status.SERVICE_UNAVAILABLE, WhatsAppConfig.APP_SECRET + " is not set");
    }
    int max = config.webhook().maxBodyBytes();
    byte[] raw;
    try {
      raw = declaredTooLarge(contentLength, max) ? null : readAtMost(body, max);
    } catch (IOException e) {
      return plain(Response.Status.BAD_REQUEST, "could not read the body");
    }
    if (raw == null) {
      refused(signature);
      return plain(Response.Status.REQUEST_ENTITY_TOO_LARGE, "body larger than " + max + " bytes");
    }
    if (!WebhookSignature.matches(secret.get(), raw, signature)) {
      refused(signature);
      LOG.warning(() -> "webhook refused: " + (signature == null ? "no" : "bad") + " signature");
      return plain(Response.Status.UNAUTHORIZED, "invalid signature");
    }
    traffic.signedDelivery(clock.instant());
    WebhookPayload payload;
    try {
      payload = jsonb.fromJson(new String(raw, StandardCharsets.UTF_8), WebhookPayload.class);
    } catch (RuntimeException malformed) {
      LOG.warning(() -> "signed webhook body is not a WhatsApp payload: " + malformed.getMessage());
      return plain(Response.Status.BAD_REQUEST, "malformed JSON");
    }
    if (payload == null) {
      return plain(Response.Status.BAD_REQUEST, "malformed JSON");
    }
    try {
      dispatcher.dispatch(payload);
    } catch (DeliveryDeduplicator.HandOffRefused refused) {
      // not remembered as seen: Meta retries a delivery answered with an error, and the retry is processed
      return plain(Response.Status.INTERNAL_SERVER_ERROR, "not taken for processing; redeliver");
    }
    return plain(Response.Status.OK, "ok");
  }

  /** Counts a refused delivery: only a signed one can be Meta's, so only that kind is a fault the doctor shows. */
  private void refused(String signature) {
    if (signature == null || signature.isBlank()) {
      traffic.unsigned(clock.instant());
    } else {
      traffic.refused(clock.instant());
    }
  }

  private static boolean declaredTooLarge(String contentLength, int max) {
    if (contentLength == null) {
      return false;
    }
    try {
      return Long.parseLong(contentLength.strip()) > max;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** The body, or null when it is longer than {@code max} bytes (reading stops there). */
  private static byte[] readAtMost(InputStream in, int max) throws IOException {
    if (in == null) {
      return new byte[0];
    }
    byte[] bytes = in.readNBytes(max + 1);
    return bytes.length > max ? null : bytes;
  }

  private static boolean sameText(String expected, String given) {
    return MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }

  private static Response plain(Response.Status status, String text) {
    return Response.status(status).type(MediaType.TEXT_PLAIN_TYPE).entity(text).build();
  }
}
