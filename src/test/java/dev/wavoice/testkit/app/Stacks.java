package dev.wavoice.testkit.app;

import dev.wavoice.testkit.kms.KmsDouble;
import dev.wavoice.testkit.kms.RealKms;
import dev.wavoice.testkit.openai.OpenAiRealtimeDouble;
import dev.wavoice.testkit.whatsapp.WhatsAppCloudDouble;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * JUnit extension that hands a test a running stack ({@link DoublesStack}, {@link ShortSessionsStack},
 * {@link LimitsStack}, {@link CrashStack}, {@link PostgresStack}, {@link H2Stack}, {@link RealKmsStack}, {@link UnconfiguredStack}, {@link ClusterStack}) or shared server ({@link RealKms}). Each is started on first use and kept in
 * the root store, so all test classes of one run share it; JUnit closes it when the run ends. A stack may
 * ask for another shared part (the real-KMS stack uses the one real KMS of the run). When a test fails,
 * every running app writes a thread dump next to its log.
 *
 * <p>The strict doubles of the running stacks (OpenAI Realtime, Meta's Graph API, the KMS double) are shared too: each
 * test class starts with their violation lists cleared (what a previous class left behind is not its
 * doing), and after each test the extension asserts they saw nothing the real services would refuse.
 */
public final class Stacks implements ParameterResolver, TestWatcher, BeforeAllCallback, AfterEachCallback {

  /** Gives a factory the other shared parts it builds on. */
  public interface Shared {
    <T> T get(Class<T> type);
  }

  private static final Map<Class<?>, Function<Shared, ? extends AutoCloseable>> FACTORIES = Map.ofEntries(
      Map.entry(DoublesStack.class, shared -> DoublesStack.start()),
      Map.entry(ShortSessionsStack.class, shared -> ShortSessionsStack.start()),
      Map.entry(LimitsStack.class, shared -> LimitsStack.start()),
      Map.entry(CrashStack.class, shared -> CrashStack.start()),
      Map.entry(UnconfiguredStack.class, shared -> UnconfiguredStack.start()),
      Map.entry(RealKms.class, shared -> RealKms.start()),
      Map.entry(RealKmsStack.class, shared -> RealKmsStack.start(shared.get(RealKms.class))),
      Map.entry(RecordingKmsStack.class, shared -> RecordingKmsStack.start(shared.get(RealKms.class))),
      Map.entry(PostgresStack.class, shared -> PostgresStack.start()),
      Map.entry(H2Stack.class, shared -> H2Stack.start()),
      Map.entry(ClusterStack.class, shared -> ClusterStack.start()));

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return FACTORIES.containsKey(parameter.getParameter().getType());
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return shared(context).get(parameter.getParameter().getType());
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.create(Stacks.class));
    String label = context.getRequiredTestClass().getSimpleName() + "-" + context.getDisplayName();
    for (Class<?> type : FACTORIES.keySet()) {
      Object started = store.get(type);
      if (started instanceof DoublesStack s) {
        s.app.dumpThreads(label);
      } else if (started instanceof ShortSessionsStack s) {
        s.doubles.app.dumpThreads(label);
      } else if (started instanceof PostgresStack s) {
        s.doubles.app.dumpThreads(label);
      } else if (started instanceof H2Stack s) {
        s.doubles.app.dumpThreads(label);
      } else if (started instanceof CrashStack s) {
        s.app.dumpThreads(label);
      } else if (started instanceof LimitsStack s) {
        s.app.dumpThreads(label);
      } else if (started instanceof RealKmsStack s) {
        s.app.dumpThreads(label);
      } else if (started instanceof RecordingKmsStack s) {
        s.real.app.dumpThreads(label);
      } else if (started instanceof UnconfiguredStack s) {
        s.app.dumpThreads(label);
      } else if (started instanceof ClusterStack s) {
        s.a.dumpThreads(label);
        s.b.dumpThreads(label);
      }
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    for (Object started : started(context)) {
      for (Doubles d : doubles(started)) {
        d.openai().clearViolations();
        d.openai().clearRefusals();
        d.graph().clearViolations();
        if (d.kms() != null) {
          d.kms().clearViolations();
        }
      }
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    List<AssertionError> failures = new ArrayList<>();
    for (Object started : started(context)) {
      for (Doubles d : doubles(started)) {
        try {
          d.openai().assertNoViolations();
        } catch (AssertionError e) {
          failures.add(e);
        }
        try {
          d.graph().assertNoViolations();
        } catch (AssertionError e) {
          failures.add(e);
        }
        try {
          if (d.kms() != null) {
            d.kms().assertNoViolations();
          }
        } catch (AssertionError e) {
          failures.add(e);
        }
      }
    }
    if (!failures.isEmpty()) {
      AssertionError all = failures.get(0);
      failures.stream().skip(1).forEach(all::addSuppressed);
      throw all;
    }
  }

  private static List<Object> started(ExtensionContext context) {
    ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.create(Stacks.class));
    List<Object> started = new ArrayList<>();
    for (Class<?> type : FACTORIES.keySet()) {
      Object stack = store.get(type);
      if (stack != null) {
        started.add(stack);
      }
    }
    return started;
  }

  /** The strict doubles a stack runs (one OpenAI Realtime double, one Graph API double, the KMS double unless Kurento is real). */
  private record Doubles(OpenAiRealtimeDouble openai, WhatsAppCloudDouble graph, KmsDouble kms) {
  }

  /** The stack's strict doubles; none for a part without them (the real KMS, the unconfigured app). */
  private static List<Doubles> doubles(Object stack) {
    return switch (stack) {
      case DoublesStack s -> List.of(new Doubles(s.openai, s.whatsapp, s.kms));
      case ShortSessionsStack s -> List.of(new Doubles(s.doubles.openai, s.doubles.whatsapp, s.doubles.kms));
      case PostgresStack s -> List.of(new Doubles(s.doubles.openai, s.doubles.whatsapp, s.doubles.kms));
      case H2Stack s -> List.of(new Doubles(s.doubles.openai, s.doubles.whatsapp, s.doubles.kms));
      case LimitsStack s -> List.of(new Doubles(s.openai, s.whatsapp, s.kms));
      case CrashStack s -> List.of(new Doubles(s.openai, s.whatsapp, s.kms));
      case RealKmsStack s -> List.of(new Doubles(s.openai, s.whatsapp, null));
      case RecordingKmsStack s -> List.of(new Doubles(s.real.openai, s.real.whatsapp, null));
      case ClusterStack s -> List.of(new Doubles(s.openai, s.whatsapp, s.kms));
      default -> List.of();
    };
  }

  private static Shared shared(ExtensionContext context) {
    ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.create(Stacks.class));
    return new Shared() {
      @Override
      public <T> T get(Class<T> type) {
        return type.cast(store.getOrComputeIfAbsent(type, t -> (Object) FACTORIES.get(t).apply(this), Object.class));
      }
    };
  }
}
