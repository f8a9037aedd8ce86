package org.salistream.kafka.broker;

import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension giving a test class one real {@link EmbeddedKafkaBroker} (KRaft, 127.0.0.1, free
 * port, temp directory), started before the first test and closed after the last one. Nested classes
 * share their outer class's broker. Ships in this module's test-jar for the other modules' ITs.
 *
 * <p>Either register it on a static field and ask it for the address:
 * <pre>{@code
 * @RegisterExtension
 * static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();
 * ... KAFKA.bootstrapServers() ...
 * }</pre>
 * or use {@code @ExtendWith(EmbeddedKafkaExtension.class)} and take an {@link EmbeddedKafkaBroker}
 * parameter in a test, constructor or {@code @BeforeAll} method.
 */
public final class EmbeddedKafkaExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(EmbeddedKafkaExtension.class);
    private static final String KEY = "broker";

    private final UnaryOperator<EmbeddedKafkaBroker.Builder> customizer;
    private volatile EmbeddedKafkaBroker broker;

    /** A broker with the defaults (also what {@code @ExtendWith} uses). */
    public EmbeddedKafkaExtension() {
        this(UnaryOperator.identity());
    }

    /**
     * A broker built with extra options, e.g.
     * {@code new EmbeddedKafkaExtension(b -> b.featureLevel("transaction.version", (short) 1))}.
     */
    public EmbeddedKafkaExtension(UnaryOperator<EmbeddedKafkaBroker.Builder> customizer) {
        this.customizer = customizer;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        // The store of a nested class sees its parents' values: reuse the outer class's broker.
        EmbeddedKafkaBroker existing = context.getStore(NAMESPACE).get(KEY, EmbeddedKafkaBroker.class);
        if (existing != null) {
            broker = existing;
            return;
        }
        EmbeddedKafkaBroker started =
                customizer.apply(EmbeddedKafkaBroker.builder()).build().start();
        // Closed by JUnit when the class's context ends: since JUnit 5.13 the store closes AutoCloseable values.
        context.getStore(NAMESPACE).put(KEY, started);
        broker = started;
    }

    /** The running broker (after {@code beforeAll}). */
    public EmbeddedKafkaBroker broker() {
        if (broker == null) {
            throw new IllegalStateException(
                    "the embedded broker starts before all tests; register the extension on a static field");
        }
        return broker;
    }

    /** The running broker's {@code 127.0.0.1:<port>}. */
    public String bootstrapServers() {
        return broker().bootstrapServers();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == EmbeddedKafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        EmbeddedKafkaBroker b = extensionContext.getStore(NAMESPACE).get(KEY, EmbeddedKafkaBroker.class);
        if (b == null) {
            throw new ParameterResolutionException(
                    "no embedded broker in this context; is the extension registered on the class?");
        }
        return b;
    }
}
