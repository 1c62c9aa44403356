package io.andon.server.mes;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import com.fasterxml.jackson.core.JsonGenerator;
import net.logstash.logback.composite.AbstractFieldJsonProvider;

import java.io.IOException;

/**
 * The plant's {@code exception} field as an object {type, message} (mapped by the log index template, searched
 * by the logs page as exception.message), written only when the event has a throwable. The root cause is
 * named: on a wrapped SQLException that is what an operator needs. The full trace stays in stack_trace.
 */
public final class ExceptionJsonProvider extends AbstractFieldJsonProvider<ILoggingEvent> {
    public ExceptionJsonProvider() {
        setFieldName("exception");
    }

    @Override
    public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
        IThrowableProxy t = event.getThrowableProxy();
        if (t == null) return;
        IThrowableProxy root = t;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        generator.writeObjectFieldStart(getFieldName());
        generator.writeStringField("type", root.getClassName());
        if (root.getMessage() != null) generator.writeStringField("message", root.getMessage());
        generator.writeEndObject();
    }
}
