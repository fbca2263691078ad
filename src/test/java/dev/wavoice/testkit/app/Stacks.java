package dev.wavoice.testkit.app;

import dev.wavoice.testkit.kms.RealKms;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit extension that hands a test a running stack ({@link DoublesStack}, {@link UnconfiguredStack}) or
 * shared server ({@link RealKms}).
 * Each stack is started on first use and kept in the root store, so all test classes of one run share
 * it; JUnit closes it when the run ends.
 */
public final class Stacks implements ParameterResolver {

  private static final Map<Class<?>, Supplier<? extends AutoCloseable>> FACTORIES =
      Map.of(DoublesStack.class, DoublesStack::start, UnconfiguredStack.class, UnconfiguredStack::start,
          RealKms.class, RealKms::start);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return FACTORIES.containsKey(parameter.getParameter().getType());
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.create(Stacks.class));
    return store.getOrComputeIfAbsent(type, t -> (Object) FACTORIES.get(t).get(), Object.class);
  }
}
