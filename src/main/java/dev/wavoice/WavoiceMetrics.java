package dev.wavoice;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.function.Supplier;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;

/**
 * The application's metrics, in one place so names, units and descriptions stay consistent. Exposed by
 * the runtime at {@code /metrics} (Prometheus text, {@code mp_scope="application"}); the names and their
 * meaning are listed in {@code docs/operations.md}. Hot paths only increment.
 */
@ApplicationScoped
public class WavoiceMetrics {

  private RegisteredMetrics registry;

  protected WavoiceMetrics() {}

  @Inject
  public WavoiceMetrics(RegisteredMetrics registry) {
    this.registry = registry;
  }

  /** A gauge read when scraped, e.g. the number of active calls. */
  public void gauge(String name, String description, Supplier<? extends Number> value) {
    registry.gauge(Metadata.builder().withName(name).withDescription(description).build(), () -> value.get().doubleValue());
  }

  /** A call ended: {@code wavoice_calls_ended_total{outcome, reason}}. */
  public void callEnded(String outcome, String reason) {
    registry.counter(
            Metadata.builder().withName("wavoice_calls_ended").withDescription("calls ended, by outcome and end reason").build(),
            new Tag("outcome", outcome),
            new Tag("reason", reason))
        .inc();
  }

  /** Set-up latency of a stage ({@code pre_accept}, {@code accept}, {@code first_bot_audio}) since the webhook arrived. */
  public void setupLatency(String stage, Duration sinceWebhook) {
    registry.histogram(
            Metadata.builder()
                .withName("wavoice_call_setup")
                .withDescription("time from the connect webhook to a set-up stage")
                .withUnit(MetricUnits.MILLISECONDS)
                .build(),
            new Tag("stage", stage))
        .update(Math.max(0, sinceWebhook.toMillis()));
  }

  /** Registers a counter at zero, so it is served (and a dashboard's query of it answers) before its first increment. */
  public void declare(String name, String description, Tag... tags) {
    registry.counter(Metadata.builder().withName(name).withDescription(description).build(), tags);
  }

  /** Increments a named counter, e.g. {@code wavoice_barge_ins}; the description is used when it is first created. */
  public void count(String name, String description, long n, Tag... tags) {
    if (n > 0) {
      registry.counter(Metadata.builder().withName(name).withDescription(description).build(), tags).inc(n);
    }
  }
}
