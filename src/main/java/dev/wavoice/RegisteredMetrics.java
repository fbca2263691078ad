package dev.wavoice;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Histogram;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.Metric;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

/**
 * The application's metrics, each registered once and then kept. Payara 7's registry builds a new
 * metric object on every lookup ({@code registry.histogram(...)} for an existing histogram creates and
 * drops a reservoir) and its registration is not safe for concurrent use (concurrent call set-ups got a
 * {@code ConcurrentModificationException} out of it, which ended a call). So registration is serial
 * here and every later use is a map read.
 */
@ApplicationScoped
public class RegisteredMetrics {

  private MetricRegistry registry;
  private final Map<String, Metric> known = new ConcurrentHashMap<>();

  protected RegisteredMetrics() {}

  @Inject
  public RegisteredMetrics(@RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE) MetricRegistry registry) {
    this.registry = registry;
  }

  public Counter counter(Metadata metadata, Tag... tags) {
    return (Counter) get(metadata, tags, () -> registry.counter(metadata, tags));
  }

  public Histogram histogram(Metadata metadata, Tag... tags) {
    return (Histogram) get(metadata, tags, () -> registry.histogram(metadata, tags));
  }

  /** A gauge read when scraped; registered once. */
  public void gauge(Metadata metadata, Supplier<? extends Number> value, Tag... tags) {
    get(metadata, tags, () -> registry.gauge(metadata, value, tags));
  }

  private Metric get(Metadata metadata, Tag[] tags, Supplier<Metric> register) {
    String key = key(metadata.getName(), tags);
    Metric metric = known.get(key);
    if (metric != null) {
      return metric;
    }
    synchronized (known) {
      return known.computeIfAbsent(key, k -> register.get());
    }
  }

  private static String key(String name, Tag[] tags) {
    StringBuilder key = new StringBuilder(name);
    for (Tag tag : tags) {
      key.append('\u0000').append(tag.getTagName()).append('=').append(tag.getTagValue());
    }
    return key.toString();
  }
}
