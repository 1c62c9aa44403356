package io.andon.stack;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5: one shared {@link Stack} per test JVM (services start lazily when a test first asks for them),
 * closed when the whole run ends. Use {@code @ExtendWith(StackExtension.class)} and a {@code Stack} parameter.
 */
public final class StackExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(StackExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
        return p.getParameter().getType() == Stack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext c) {
        return shared(c);
    }

    public static Stack shared(ExtensionContext c) {
        return c.getRoot().getStore(NS).getOrComputeIfAbsent("stack", k -> new Holder(new Stack(StackOptions.forTests())), Holder.class).stack;
    }

    /** Closed by JUnit when the root context closes, i.e. after the last test of the run. */
    private record Holder(Stack stack) implements AutoCloseable {
        @Override
        public void close() { stack.close(); }
    }
}
